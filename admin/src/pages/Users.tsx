import { useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router-dom'
import { api } from '../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { UserActivity } from '../api/types'
import { dateTime } from '../ui/format'
import { Empty, ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useMe } from '../session'

type Role = 'user' | 'moderator' | 'admin'

export function Users() {
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const selected = params.get('id')
  const [draft, setDraft] = useState(q)
  const results = useAsync(() => read(api.admin.users.$get({ query: { q } })), q, {
    keepPrevious: true,
  })

  function search(e: FormEvent) {
    e.preventDefault()
    setParams(new URLSearchParams({ q: draft }))
  }
  return (
    <div>
      <header className="page-head">
        <h1>Users</h1>
      </header>
      <form className="filters" onSubmit={search} role="search">
        <label>
          Search
          <input
            value={draft}
            placeholder="username, email or id"
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      <div className="split">
        <ul className="items" aria-label="Users">
          {results.status === 'loading' && <Loading />}
          {results.status === 'error' && <ErrorNote message={results.error} />}
          {results.status === 'ready' && !results.data.users.length && <Empty>No users.</Empty>}
          {results.data?.users.map((u) => (
            <li
              key={u.id}
              className={u.id === selected ? 'item current' : 'item'}
              onClick={() => setParams(new URLSearchParams({ q, id: u.id }))}
            >
              <div>
                <strong>{u.username}</strong> <span className="badge">{u.role}</span>
                {u.banned && <span className="badge danger">banned</span>}
                <div className="muted">{u.email}</div>
              </div>
            </li>
          ))}
        </ul>
        {selected && <UserDetail id={selected} onChanged={results.reload} />}
      </div>
    </div>
  )
}

function UserDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const activity = useAsync(() => read(api.admin.users[':id'].$get({ param: { id } })), id, {
    keepPrevious: true,
  })
  if (activity.status === 'loading') return <Loading />
  if (activity.status === 'error') return <ErrorNote message={activity.error} />
  return (
    <UserView
      data={activity.data}
      onChanged={() => {
        activity.reload()
        onChanged()
      }}
    />
  )
}

function UserView({ data, onChanged }: { data: UserActivity; onChanged: () => void }) {
  const me = useMe()
  const u = data.user
  const self = me?.id === u.id
  const [reason, setReason] = useState('')
  const [role, setRole] = useState<Role>(u.role)
  const [status, setStatus] = useState('')
  const [busy, setBusy] = useState(false)
  const ready = reason.trim().length >= 3 && !self && !busy

  function run(label: string, call: () => Promise<unknown>) {
    setBusy(true)
    setStatus('')
    call()
      .then(() => {
        setStatus(label)
        setReason('')
        onChanged()
      })
      .catch((err: unknown) => setStatus(messageOf(err)))
      .finally(() => setBusy(false))
  }
  const param = { id: u.id }
  const counts = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${v} ${k.replace('_', ' ')}`)
      .join(', ') || 'none'

  return (
    <article className="detail" aria-label="User activity">
      <h2>
        {u.username} <span className="badge">{u.role}</span>
        {u.banned && <span className="badge danger">banned</span>}
      </h2>
      <p className="muted">
        {u.email} · joined {dateTime(u.createdAt)} · {data.moderationActions} moderation actions
        taken
      </p>
      {u.banned && u.bannedReason && <p className="reason">Banned: {u.bannedReason}</p>}
      <p>Videos: {counts(data.videos)}</p>
      <p>Comments: {counts(data.comments)}</p>
      <div className="action-bar">
        <label>
          Reason
          <input
            value={reason}
            maxLength={500}
            placeholder="Why (required, logged)"
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        {u.banned ? (
          <button
            type="button"
            disabled={!ready}
            onClick={() =>
              run('Unbanned', () =>
                read(api.admin.users[':id'].unban.$post({ param, json: { reason } })),
              )
            }
          >
            Unban
          </button>
        ) : (
          <button
            type="button"
            className="reject"
            disabled={!ready}
            onClick={() =>
              run('Banned', () =>
                read(api.admin.users[':id'].ban.$post({ param, json: { reason } })),
              )
            }
          >
            Ban
          </button>
        )}
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="user">user</option>
            <option value="moderator">moderator</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button
          type="button"
          disabled={!ready || role === u.role}
          onClick={() =>
            run(`Role set to ${role}`, () =>
              read(api.admin.users[':id'].role.$post({ param, json: { role, reason } })),
            )
          }
        >
          Change role
        </button>
        {self && <span className="muted">You cannot ban yourself or change your own role.</span>}
        {status && <span role="status">{status}</span>}
      </div>
      <h3>Reports against ({data.reports.length})</h3>
      {data.reports.length ? (
        <ul>
          {data.reports.map((r) => (
            <li key={r.id}>
              {dateTime(r.createdAt)} · {r.subjectType}: {r.reason} ({r.state})
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None.</p>
      )}
      <h3>Moderation events</h3>
      {data.events.length ? (
        <ul>
          {data.events.map((e) => (
            <li key={e.id}>
              {dateTime(e.createdAt)} · {e.subjectType} · {e.source}
              {e.actor ? ` (${e.actor})` : ''}: <strong>{e.decision}</strong>
              {e.explanation ? ` — ${e.explanation}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">None.</p>
      )}
      <Link to={`/history?subjectType=user&subjectId=${encodeURIComponent(u.id)}`}>
        Full account timeline
      </Link>
    </article>
  )
}
