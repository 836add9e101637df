import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { dateTime } from '../ui/format'
import { ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'

// The author's record next to the item under review.
export function CreatorPanel({ userId, title }: { userId: string; title: string }) {
  const history = useAsync(
    () => read(api.admin.creators[':id'].history.$get({ param: { id: userId } })),
    userId,
    { keepPrevious: true },
  )
  if (history.status === 'loading') return <Loading what="Loading history" />
  if (history.status === 'error') return <ErrorNote message={history.error} />
  const h = history.data
  const counts = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${v} ${k.replace('_', ' ')}`)
      .join(', ') || 'none'
  return (
    <section className="panel" aria-label={title}>
      <h3>
        {title}: {h.user.username}
        {h.user.banned && <span className="badge danger">banned</span>}
        <span className="badge">{h.user.role}</span>
      </h3>
      <p className="muted">Joined {dateTime(h.user.createdAt)}</p>
      <p>Videos: {counts(h.videos)}</p>
      <p>Comments: {counts(h.comments)}</p>
      {h.priorRejections.videos.length + h.priorRejections.comments.length > 0 && (
        <details>
          <summary>
            Prior rejections ({h.priorRejections.videos.length + h.priorRejections.comments.length})
          </summary>
          <ul>
            {h.priorRejections.videos.map((v) => (
              <li key={v.id}>
                Video “{v.title}”: {v.reason ?? 'no reason'}
              </li>
            ))}
            {h.priorRejections.comments.map((c) => (
              <li key={c.id}>
                Comment “{c.body}”: {c.reason ?? 'no reason'}
              </li>
            ))}
          </ul>
        </details>
      )}
      <Link to={`/history?subjectType=user&subjectId=${encodeURIComponent(h.user.id)}`}>
        Account history
      </Link>
    </section>
  )
}
