import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { messageOf, read, RequestError } from '@clipstream/frontend-kit/errors'
import type { ReportGroup } from '../api/types'
import { CategorySelect } from '../ui/CategorySelect'
import { ago, dateTime } from '../ui/format'
import type { Category } from '../ui/ScoreChips'
import { Empty, ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'

export function Reports() {
  const reports = useAsync(() => read(api.admin.reports.$get()), 'reports', { keepPrevious: true })
  return (
    <div>
      <header className="page-head">
        <h1>Reports</h1>
        <p className="muted">Open reports grouped by what was reported, most reported first.</p>
      </header>
      {reports.status === 'loading' && <Loading />}
      {reports.status === 'error' && <ErrorNote message={reports.error} retry={reports.reload} />}
      {reports.status === 'ready' && !reports.data.groups.length && <Empty>No open reports.</Empty>}
      {reports.data?.groups.map((g) => (
        <ReportCard key={`${g.subjectType}:${g.subjectId}`} group={g} onDone={reports.reload} />
      ))}
    </div>
  )
}

function ReportCard({ group, onDone }: { group: ReportGroup; onDone: () => void }) {
  const [reason, setReason] = useState('')
  const [category, setCategory] = useState<Category | ''>('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const ready = reason.trim().length >= 3
  const { subjectType, subjectId } = group

  // Acting rejects the video or comment through the review decisions, which close its open
  // reports themselves (then the resolve below finds none: 404, fine); otherwise the resolve
  // closes them. A reported user is handled on the Users page.
  async function act(kind: 'dismiss' | 'act') {
    setBusy(true)
    setError('')
    try {
      if (kind === 'act' && subjectType === 'video') {
        await read(
          api.moderation.videos.decisions.$post({
            json: {
              videoIds: [subjectId],
              action: 'reject',
              reason,
              ...(category ? { category } : {}),
            },
          }),
        )
      } else if (kind === 'act' && subjectType === 'comment') {
        await read(
          api.moderation.comments.decisions.$post({
            json: {
              commentIds: [subjectId],
              action: 'reject',
              reason,
              ...(category ? { category } : {}),
            },
          }),
        )
      }
      try {
        await read(
          api.admin.reports.resolve.$post({
            json: { subjectType, subjectId, action: kind, reason },
          }),
        )
      } catch (err) {
        const closedByDecision =
          kind === 'act' &&
          subjectType !== 'user' &&
          err instanceof RequestError &&
          err.status === 404
        if (!closedByDecision) throw err
      }
      onDone()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="panel report" aria-label={`Reports about ${subjectType} ${subjectId}`}>
      <h2>
        <span className="badge">{subjectType}</span> {group.subject?.label ?? subjectId}
      </h2>
      <p className="muted">
        {group.count} report{group.count === 1 ? '' : 's'} · first {ago(group.firstAt)} ago · status{' '}
        {group.subject?.status ?? 'unknown'}
        {group.subject && <> · by {group.subject.owner.username}</>} ·{' '}
        <Link to={`/history?subjectType=${subjectType}&subjectId=${encodeURIComponent(subjectId)}`}>
          timeline
        </Link>
      </p>
      <p className="chips">
        {Object.entries(group.reasons).map(([r, n]) => (
          <span key={r} className="chip">
            {r.replace('_', ' ')} × {n}
          </span>
        ))}
      </p>
      <details>
        <summary>Reporters and details</summary>
        <ul>
          {group.details.map((d, i) => (
            <li key={i}>
              {dateTime(d.createdAt)} · {d.reporter}: {d.reason}
              {d.details && <> — “{d.details}”</>}
            </li>
          ))}
        </ul>
      </details>
      <div className="action-bar">
        <label>
          Reason
          <input
            value={reason}
            maxLength={500}
            placeholder="Why (required)"
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        {subjectType === 'user' ? (
          <>
            <Link to={`/users?id=${encodeURIComponent(subjectId)}`}>Open user</Link>
            <button type="button" disabled={!ready || busy} onClick={() => void act('act')}>
              Mark handled
            </button>
          </>
        ) : (
          <>
            <CategorySelect value={category} onChange={setCategory} />
            <button
              type="button"
              className="reject"
              disabled={!ready || busy}
              onClick={() => void act('act')}
            >
              Reject {subjectType} and resolve
            </button>
          </>
        )}
        <button type="button" disabled={!ready || busy} onClick={() => void act('dismiss')}>
          Dismiss reports
        </button>
        {error && (
          <span className="hint" role="alert">
            {error}
          </span>
        )}
      </div>
    </section>
  )
}
