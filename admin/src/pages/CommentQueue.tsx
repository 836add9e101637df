import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { Action } from '../api/types'
import { ActionBar } from '../ui/ActionBar'
import { answerAppeals, APPEAL_LABELS, APPEAL_PAST, AppealNote } from '../ui/appeals'
import { ago } from '../ui/format'
import { ScoreChips, type Category } from '../ui/ScoreChips'
import { Empty, ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useQueue } from '../ui/useQueue'
import { CreatorPanel } from './CreatorPanel'

type Status = 'held' | 'rejected' | 'appealed'
const TAB: Record<Status, string> = { held: 'Held', rejected: 'Rejected', appealed: 'Appealed' }

// A category goes with a rejection only (the API refuses it with anything else).
const decideComments = (ids: string[], action: Action, reason: string, category: Category | '') =>
  read(
    api.moderation.comments.decisions.$post({
      json: {
        commentIds: ids,
        action,
        reason,
        ...(action === 'reject' && category ? { category } : {}),
      },
    }),
  ).then((r) => r.results.length)

export function CommentQueue() {
  const [status, setStatus] = useState<Status>('held')
  const [category, setCategory] = useState<Category | ''>('')
  const queue = useAsync(
    () => read(api.moderation.comments.$get({ query: { status, limit: '100' } })),
    status,
    { keepPrevious: true },
  )
  const comments = queue.data?.comments ?? []
  const q = useQueue({
    ids: comments.map((c) => c.id),
    decide:
      status === 'appealed'
        ? (ids, action, reason) => answerAppeals(comments, ids, action, reason, category)
        : (ids, action, reason) => decideComments(ids, action, reason, category),
    noun: 'comment',
    onDecided: () => {
      setCategory('')
      queue.reload()
    },
    past: status === 'appealed' ? APPEAL_PAST : undefined,
  })
  const current = comments.find((c) => c.id === q.currentId)

  return (
    <div className="queue">
      <header className="page-head">
        <h1>Comment queue</h1>
        <div className="tabs" role="tablist">
          {(['held', 'rejected', 'appealed'] as const).map((s) => (
            <button
              key={s}
              role="tab"
              aria-selected={status === s}
              type="button"
              onClick={() => setStatus(s)}
            >
              {TAB[s]}
            </button>
          ))}
        </div>
      </header>
      <ActionBar
        {...q.bar}
        actions={status === 'rejected' ? ['approve', 'restore'] : ['approve', 'reject']}
        labels={status === 'appealed' ? APPEAL_LABELS : undefined}
        category={category}
        onCategory={setCategory}
      />
      {queue.data?.nextCursor && (
        <p className="muted">
          Showing the oldest 100 comments; decide on these to see the next ones.
        </p>
      )}
      {queue.status === 'loading' && <Loading />}
      {queue.status === 'error' && <ErrorNote message={queue.error} retry={queue.reload} />}
      {queue.status === 'ready' && !comments.length && (
        <Empty>
          {status === 'appealed' ? 'No comments with an open appeal.' : `No ${status} comments.`}
        </Empty>
      )}
      {comments.length > 0 && (
        <div className="split">
          <ul className="items" aria-label="Comments">
            <li className="select-all">
              <label>
                <input
                  type="checkbox"
                  checked={q.selected.size === comments.length}
                  onChange={q.selectAll}
                />
                Select all ({comments.length}, oldest first)
              </label>
            </li>
            {comments.map((c, i) => (
              <li
                key={c.id}
                className={i === q.current ? 'item current' : 'item'}
                aria-current={i === q.current}
                onClick={() => q.setCurrent(i)}
              >
                <input
                  type="checkbox"
                  aria-label={`Select comment by ${c.author.username}`}
                  checked={q.selected.has(c.id)}
                  onChange={() => q.toggle(c.id)}
                  onClick={(e) => e.stopPropagation()}
                />
                <div>
                  <p className="comment-body">{c.body}</p>
                  <div className="muted">
                    {c.author.username} on “{c.video.title}” · posted {ago(c.createdAt)} ago
                  </div>
                  <ScoreChips scores={c.scores} />
                  {c.appeal?.status === 'pending' && <AppealNote appeal={c.appeal} compact />}
                </div>
              </li>
            ))}
          </ul>
          {current && (
            <article className="detail" aria-label="Comment under review">
              <h2>Comment</h2>
              <blockquote className="comment-body">{current.body}</blockquote>
              <p>
                On video <strong>{current.video.title}</strong> ·{' '}
                <Link
                  to={`/history?subjectType=comment&subjectId=${encodeURIComponent(current.id)}`}
                >
                  timeline
                </Link>
              </p>
              {current.reason && <p className="reason">{current.reason}</p>}
              {current.appeal && <AppealNote appeal={current.appeal} />}
              <h3>Scores</h3>
              <ScoreChips scores={current.scores} min={0} />
              <CreatorPanel userId={current.author.id} title="Author" />
            </article>
          )}
        </div>
      )}
    </div>
  )
}
