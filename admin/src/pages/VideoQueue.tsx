import { useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { Action, QueueVideo } from '../api/types'
import { ActionBar } from '../ui/ActionBar'
import { answerAppeals, APPEAL_LABELS, APPEAL_PAST, AppealNote } from '../ui/appeals'
import { ago, dateTime, score, scoreColor, seconds } from '../ui/format'
import { CATEGORY_NAMES, type Category } from '../ui/ScoreChips'
import { Player } from '../ui/Player'
import { Empty, ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useQueue } from '../ui/useQueue'
import { CreatorPanel } from './CreatorPanel'
import { frameRisk, modelLabel, signalRows, triggersOf } from './signals'

type Status = 'in_review' | 'rejected' | 'appealed'
const TAB: Record<Status, string> = {
  in_review: 'In review',
  rejected: 'Rejected',
  appealed: 'Appealed',
}

// A category goes with a rejection only (the API refuses it with anything else).
const decideVideos = (ids: string[], action: Action, reason: string, category: Category | '') =>
  read(
    api.moderation.videos.decisions.$post({
      json: {
        videoIds: ids,
        action,
        reason,
        ...(action === 'reject' && category ? { category } : {}),
      },
    }),
  ).then((r) => r.results.length)

export function VideoQueue() {
  const [status, setStatus] = useState<Status>('in_review')
  const [category, setCategory] = useState<Category | ''>('')
  const queue = useAsync(
    () => read(api.moderation.videos.$get({ query: { status, limit: '50' } })),
    status,
    { keepPrevious: true },
  )
  const videos = queue.data?.videos ?? []
  const q = useQueue({
    ids: videos.map((v) => v.id),
    decide:
      status === 'appealed'
        ? (ids, action, reason) => answerAppeals(videos, ids, action, reason, category)
        : (ids, action, reason) => decideVideos(ids, action, reason, category),
    noun: 'video',
    onDecided: () => {
      setCategory('')
      queue.reload()
    },
    past: status === 'appealed' ? APPEAL_PAST : undefined,
  })
  const current = videos.find((v) => v.id === q.currentId)

  return (
    <div className="queue">
      <header className="page-head">
        <h1>Video queue</h1>
        <div className="tabs" role="tablist">
          {(['in_review', 'rejected', 'appealed'] as const).map((s) => (
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
        <p className="muted">Showing the oldest 50 videos; decide on these to see the next ones.</p>
      )}
      {queue.status === 'loading' && <Loading />}
      {queue.status === 'error' && <ErrorNote message={queue.error} retry={queue.reload} />}
      {queue.status === 'ready' && !videos.length && (
        <Empty>
          No videos{' '}
          {status === 'in_review'
            ? 'waiting for review'
            : status === 'rejected'
              ? 'rejected'
              : 'with an open appeal'}
          .
        </Empty>
      )}
      {videos.length > 0 && (
        <div className="split">
          <ul className="items" aria-label="Videos">
            <li className="select-all">
              <label>
                <input
                  type="checkbox"
                  checked={q.selected.size === videos.length}
                  onChange={q.selectAll}
                />
                Select all ({videos.length}, oldest first)
              </label>
            </li>
            {videos.map((v, i) => (
              <li
                key={v.id}
                className={i === q.current ? 'item current' : 'item'}
                aria-current={i === q.current}
                onClick={() => q.setCurrent(i)}
              >
                <input
                  type="checkbox"
                  aria-label={`Select ${v.title}`}
                  checked={q.selected.has(v.id)}
                  onChange={() => q.toggle(v.id)}
                  onClick={(e) => e.stopPropagation()}
                />
                <div>
                  <strong>{v.title}</strong>
                  <div className="muted">
                    {v.creator.username} · <Since video={v} />
                  </div>
                  {v.statusReason && <div className="reason">{v.statusReason}</div>}
                  {v.appeal?.status === 'pending' && <AppealNote appeal={v.appeal} compact />}
                </div>
              </li>
            ))}
          </ul>
          {current && <VideoDetail video={current} />}
        </div>
      )}
    </div>
  )
}

// How long an item in review has waited; a decided one says what was decided and when (its
// status changed then), never that it is waiting.
function Since({ video }: { video: QueueVideo }) {
  const at = video.statusChangedAt
  const when = (
    <time dateTime={new Date(at).toISOString()} title={dateTime(at)}>
      {ago(at)}
    </time>
  )
  if (video.status === 'in_review') return <>waiting {when}</>
  return (
    <>
      {video.status.replace('_', ' ')} {when} ago
    </>
  )
}

function VideoDetail({ video }: { video: QueueVideo }) {
  const rows = signalRows(video.decision)
  const triggers = triggersOf(video.decision)
  return (
    <article className="detail" aria-label="Video under review">
      <h2>{video.title}</h2>
      <p className="muted">
        Uploaded {dateTime(video.createdAt)} · status {video.status} since{' '}
        {dateTime(video.statusChangedAt)} ·{' '}
        <Link to={`/history?subjectType=video&subjectId=${encodeURIComponent(video.id)}`}>
          timeline
        </Link>
      </p>
      {video.description && <p className="description">{video.description}</p>}
      {video.appeal && <AppealNote appeal={video.appeal} />}
      <div className="media-row">
        <Player src={video.playlistUrl} poster={video.posterUrl} />
        <CreatorPanel userId={video.creator.id} title="Creator" />
      </div>
      <h3>Frames</h3>
      {video.frames.length ? (
        <ol className="frames" aria-label="Frame strip">
          {video.frames.map((f) => {
            const risk = frameRisk(f.scores)
            const detail = f.scores
              ? Object.entries(f.scores)
                  .map(([k, v]) => `${k} ${v.toFixed(2)}`)
                  .join(', ')
              : 'not scored'
            return (
              <li key={f.url} style={{ borderColor: scoreColor(risk) }} title={detail}>
                <img
                  src={f.url}
                  alt={`Frame at ${seconds(f.timeSeconds)}`}
                  loading="lazy"
                  crossOrigin="use-credentials"
                />
                <span className="time" style={{ background: scoreColor(risk) }}>
                  {seconds(f.timeSeconds)} · {score(risk)}
                </span>
              </li>
            )
          })}
        </ol>
      ) : (
        <p className="muted">No moderation frames.</p>
      )}
      <h3>Signals</h3>
      {video.decision ? (
        <>
          <p>
            Machine decision: <strong>{video.decision.decision}</strong> ·{' '}
            {modelLabel(video.decision.model)} · policy v{video.decision.policyVersion ?? '?'} ·{' '}
            {dateTime(video.decision.createdAt)}
          </p>
          {triggers.length > 0 && (
            <ul className="triggers">
              {triggers.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
          {/* The columns the policy decides on come first (its triggers read Gemini, the frames'
              max and the text); the rest of the frame statistics follow. On a phone each
              category becomes a card of labelled values (table.stack), nothing scrolls sideways. */}
          <div className="table-scroll">
            <table className="signals stack">
              <thead>
                <tr>
                  <th>Category</th>
                  <th>Gemini</th>
                  <th>Frames max</th>
                  <th>Text</th>
                  <th>Frames ≥0.9</th>
                  <th>Gemini at</th>
                  <th>mean</th>
                  <th>median</th>
                  <th>min</th>
                  <th>≤0.1</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.category}>
                    <th scope="row" title={CATEGORY_NAMES[r.category] ?? r.category}>
                      {r.category}
                    </th>
                    <td data-label="Gemini" style={{ color: scoreColor(r.gemini) }}>
                      {score(r.gemini)}
                    </td>
                    <td data-label="Frames max" style={{ color: scoreColor(r.frames?.max) }}>
                      {score(r.frames?.max)}
                    </td>
                    <td data-label="Text" style={{ color: scoreColor(r.text) }}>
                      {score(r.text)}
                    </td>
                    <td data-label="Frames ≥0.9">{r.frames?.over90 ?? '—'}</td>
                    <td data-label="Gemini at">{r.timestamps.map(seconds).join(', ') || '—'}</td>
                    <td data-label="mean">{score(r.frames?.mean)}</td>
                    <td data-label="median">{score(r.frames?.median)}</td>
                    <td data-label="min">{score(r.frames?.min)}</td>
                    <td data-label="≤0.1">{r.frames?.under10 ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>Explanation</h3>
          <p className="explanation">{video.decision.explanation ?? 'No explanation recorded.'}</p>
        </>
      ) : (
        <p className="muted">No machine decision recorded.</p>
      )}
    </article>
  )
}
