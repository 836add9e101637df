import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { Action } from '../api/types'
import { ActionBar } from '../ui/ActionBar'
import { ago } from '../ui/format'
import { ScoreChips, type Category } from '../ui/ScoreChips'
import { Empty, ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useQueue } from '../ui/useQueue'

type Status = 'held' | 'rejected'

const FIELD = { displayName: 'Display name', bio: 'Bio' } as const

// A category goes with a rejection only (the API refuses it with an approval).
const decideChanges = (ids: string[], action: Action, reason: string, category: Category | '') => {
  // A profile change is approved or turned down; there is nothing to restore.
  if (action === 'restore') return Promise.resolve(0)
  return read(
    api.moderation.profiles.decisions.$post({
      json: {
        changeIds: ids,
        action,
        reason,
        ...(action === 'reject' && category ? { category } : {}),
      },
    }),
  ).then((r) => r.results.filter((x) => !('error' in x)).length)
}

// Display names and bios the classifier held or rejected. Until one is
// approved, others see the user's previous text (shown beside it here).
export function ProfileQueue() {
  const [status, setStatus] = useState<Status>('held')
  const [category, setCategory] = useState<Category | ''>('')
  const queue = useAsync(
    () => read(api.moderation.profiles.$get({ query: { status, limit: '100' } })),
    status,
    { keepPrevious: true },
  )
  const changes = queue.data?.changes ?? []
  const q = useQueue({
    ids: changes.map((c) => c.id),
    decide: (ids, action, reason) => decideChanges(ids, action, reason, category),
    noun: 'profile change',
    onDecided: () => {
      setCategory('')
      queue.reload()
    },
  })
  const current = changes.find((c) => c.id === q.currentId)

  return (
    <div className="queue">
      <header className="page-head">
        <h1>Profile queue</h1>
        <div className="tabs" role="tablist">
          {(['held', 'rejected'] as const).map((s) => (
            <button
              key={s}
              role="tab"
              aria-selected={status === s}
              type="button"
              onClick={() => setStatus(s)}
            >
              {s === 'held' ? 'Held' : 'Rejected'}
            </button>
          ))}
        </div>
      </header>
      <ActionBar
        {...q.bar}
        actions={status === 'held' ? ['approve', 'reject'] : ['approve']}
        category={category}
        onCategory={setCategory}
      />
      {queue.status === 'loading' && <Loading />}
      {queue.status === 'error' && <ErrorNote message={queue.error} retry={queue.reload} />}
      {queue.status === 'ready' && !changes.length && <Empty>No {status} profile changes.</Empty>}
      {changes.length > 0 && (
        <div className="split">
          <ul className="items" aria-label="Profile changes">
            {changes.map((c, i) => (
              <li
                key={c.id}
                className={i === q.current ? 'item current' : 'item'}
                aria-current={i === q.current}
                onClick={() => q.setCurrent(i)}
              >
                <input
                  type="checkbox"
                  aria-label={`Select ${FIELD[c.field]} of ${c.user.username}`}
                  checked={q.selected.has(c.id)}
                  onChange={() => q.toggle(c.id)}
                  onClick={(e) => e.stopPropagation()}
                />
                <div>
                  <p className="comment-body">{c.text}</p>
                  <div className="muted">
                    {FIELD[c.field]} of {c.user.username} · {ago(c.createdAt)} ago
                  </div>
                  <ScoreChips scores={c.scores} />
                </div>
              </li>
            ))}
          </ul>
          {current && (
            <article className="detail" aria-label="Profile change under review">
              <h2>
                {FIELD[current.field]} of {current.user.username}
              </h2>
              <blockquote className="comment-body">{current.text}</blockquote>
              <p className="muted">Others see meanwhile: {current.current || '(empty)'}</p>
              <p>
                <Link
                  to={`/history?subjectType=user&subjectId=${encodeURIComponent(current.user.id)}`}
                >
                  timeline
                </Link>
              </p>
              {current.reason && <p className="reason">{current.reason}</p>}
              <h3>Scores</h3>
              <ScoreChips scores={current.scores} min={0} />
            </article>
          )}
        </div>
      )}
    </div>
  )
}
