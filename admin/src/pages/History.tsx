import { useEffect, useState, type FormEvent } from 'react'
import { useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { HistoryEvent, HistoryQuery, Timeline as TimelineData } from '../api/types'
import { dateTime } from '../ui/format'
import { CATEGORIES } from '../ui/ScoreChips'
import { Empty, ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'

const FIELDS = [
  'subjectType',
  'subjectId',
  'actor',
  'decision',
  'category',
  'source',
  'from',
  'to',
] as const
type Field = (typeof FIELDS)[number]
type Filters = Record<Field, string>

function filtersOf(params: URLSearchParams): Filters {
  return Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Filters
}

// Dates typed as YYYY-MM-DD cover the whole day for `to`.
function toQuery(filters: Filters): HistoryQuery {
  const query: Record<string, string> = {}
  for (const f of FIELDS) {
    const value = filters[f].trim()
    if (!value) continue
    query[f] = f === 'to' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : value
  }
  return query
}

export function History() {
  const [params, setParams] = useSearchParams()
  const applied = filtersOf(params)
  const [draft, setDraft] = useState<Filters>(applied)
  const key = params.toString()
  useEffect(() => setDraft(filtersOf(new URLSearchParams(key))), [key])

  const [events, setEvents] = useState<HistoryEvent[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [more, setMore] = useState('')
  const page = useAsync(() => read(api.admin.history.$get({ query: toQuery(applied) })), key, {
    keepPrevious: true,
  })
  useEffect(() => {
    if (page.status === 'ready') {
      setEvents(page.data.events)
      setNext(page.data.nextCursor)
    }
  }, [page.status, page.data])

  function loadMore() {
    if (!next) return
    setMore('Loading…')
    read(api.admin.history.$get({ query: { ...toQuery(applied), cursor: next } })).then(
      (p) => {
        setEvents((e) => [...e, ...p.events])
        setNext(p.nextCursor)
        setMore('')
      },
      (err: unknown) => setMore(messageOf(err)),
    )
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    const nextParams = new URLSearchParams()
    for (const f of FIELDS) if (draft[f].trim()) nextParams.set(f, draft[f].trim())
    setParams(nextParams)
  }
  const set = (f: Field) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [f]: e.target.value }))

  const subject =
    applied.subjectType && applied.subjectId
      ? { type: applied.subjectType, id: applied.subjectId }
      : null

  return (
    <div>
      <header className="page-head">
        <h1>History</h1>
        <p className="muted">Every moderation decision, machine and human, newest first.</p>
      </header>
      <form className="filters" onSubmit={submit} aria-label="History filters">
        <label>
          Subject
          <select value={draft.subjectType} onChange={set('subjectType')}>
            <option value="">any</option>
            <option value="video">video</option>
            <option value="comment">comment</option>
            <option value="user">user</option>
          </select>
        </label>
        <label>
          Subject id
          <input value={draft.subjectId} onChange={set('subjectId')} />
        </label>
        <label>
          Moderator
          <input value={draft.actor} onChange={set('actor')} placeholder="username" />
        </label>
        <label>
          Decision
          <input value={draft.decision} onChange={set('decision')} placeholder="e.g. rejected" />
        </label>
        <label>
          Category
          <select value={draft.category} onChange={set('category')}>
            <option value="">any</option>
            {[...CATEGORIES, 'OK'].map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select value={draft.source} onChange={set('source')}>
            <option value="">any</option>
            <option value="machine">machine</option>
            <option value="human">human</option>
          </select>
        </label>
        <label>
          From
          <input type="date" value={draft.from} onChange={set('from')} />
        </label>
        <label>
          To
          <input type="date" value={draft.to} onChange={set('to')} />
        </label>
        <button type="submit">Apply</button>
        <button type="button" onClick={() => setParams(new URLSearchParams())}>
          Clear
        </button>
      </form>
      {subject && <SubjectTimeline type={subject.type} id={subject.id} />}
      {page.status === 'loading' && <Loading />}
      {page.status === 'error' && <ErrorNote message={page.error} retry={page.reload} />}
      {page.status === 'ready' && !events.length && <Empty>No events match.</Empty>}
      {events.length > 0 && (
        <table className="events stack" aria-label="Moderation events">
          <thead>
            <tr>
              <th>When</th>
              <th>Subject</th>
              <th>Source</th>
              <th>By</th>
              <th>Decision</th>
              <th>Category</th>
              <th>Explanation</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <EventRow key={e.id} event={e} onSubject={setParams} />
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={loadMore}>
          Load more
        </button>
      )}
      {more && <span className="muted">{more}</span>}
    </div>
  )
}

function EventRow({
  event: e,
  onSubject,
}: {
  event: HistoryEvent
  onSubject: (p: URLSearchParams) => void
}) {
  return (
    <tr>
      <td data-label="When" className="full">
        {dateTime(e.createdAt)}
      </td>
      <td data-label="Subject" className="wide">
        <button
          type="button"
          className="link"
          onClick={() =>
            onSubject(new URLSearchParams({ subjectType: e.subjectType, subjectId: e.subjectId }))
          }
        >
          {e.subjectType} {e.subjectId}
        </button>
        {e.subject && (
          <div className="subject-label">
            {e.subject.label} <span className="muted">({e.subject.status})</span>
          </div>
        )}
      </td>
      <td data-label="Source">{e.source}</td>
      <td data-label="By">
        {e.actor?.username ?? (e.source === 'machine' ? (e.model ?? 'machine') : '—')}
      </td>
      <td data-label="Decision">
        <strong>{e.decision}</strong>
      </td>
      <td data-label="Category">
        {e.category}
        {/* Named by the moderator, not read off the machine's scores. */}
        {e.categoryChosen && <span className="muted"> · chosen</span>}
      </td>
      <td data-label="Explanation" className="explanation wide">
        {e.explanation ?? ''}
      </td>
    </tr>
  )
}

function SubjectTimeline({ type, id }: { type: string; id: string }) {
  const timeline = useAsync(
    () =>
      read(
        api.admin.subjects[':type'][':id'].timeline.$get({
          param: { type: type as 'video' | 'comment' | 'user', id },
        }),
      ),
    `${type}:${id}`,
    { keepPrevious: true },
  )
  if (timeline.status === 'loading') return <Loading what="Loading timeline" />
  if (timeline.status === 'error') return <ErrorNote message={timeline.error} />
  return <TimelineView data={timeline.data} />
}

function TimelineView({ data }: { data: TimelineData }) {
  const items = [
    ...data.events.map((e) => ({
      at: e.createdAt,
      key: e.id,
      text: `${e.source === 'human' ? (e.actor?.username ?? 'someone') : (e.model ?? 'machine')}: ${e.decision}${e.explanation ? ` — ${e.explanation}` : ''}`,
    })),
    ...data.reports.map((r) => ({
      at: r.createdAt,
      key: r.id,
      text: `report by ${r.reporter}: ${r.reason}${r.details ? ` “${r.details}”` : ''} (${r.state})`,
    })),
  ].sort((a, b) => a.at - b.at)
  return (
    <section className="panel" aria-label="Subject timeline">
      <h2>
        Timeline: {data.subject?.type ?? ''} “{data.subject?.label ?? 'deleted'}”
      </h2>
      {data.subject && (
        <p className="muted">
          now {data.subject.status}
          {data.subject.reason ? ` (${data.subject.reason})` : ''} · owner{' '}
          {data.subject.owner.username} · created {dateTime(data.subject.createdAt)}
        </p>
      )}
      <ol className="timeline">
        {items.map((i) => (
          <li key={i.key}>
            <time>{dateTime(i.at)}</time> {i.text}
          </li>
        ))}
      </ol>
    </section>
  )
}
