import { useMemo, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { Policies, Preview } from '../api/types'
import { dateTime } from '../ui/format'
import { CATEGORIES, CATEGORY_NAMES } from '../ui/ScoreChips'
import { ErrorNote, Loading } from '../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useMe } from '../session'

type Kind = 'video' | 'comment'
type Group = { path: string[]; title: string; keys: readonly string[]; levels: [string, string] }

const GROUPS: Record<Kind, Group[]> = {
  video: [
    { path: ['gemini'], title: 'Gemini', keys: CATEGORIES, levels: ['review', 'block'] },
    {
      path: ['frames'],
      title: 'Frame classifier (max over frames)',
      keys: ['S', 'suggestive'],
      levels: ['review', 'block'],
    },
    {
      path: ['text'],
      title: 'Title and description text',
      keys: CATEGORIES,
      levels: ['review', 'block'],
    },
  ],
  comment: [
    { path: [], title: 'Comment classifier', keys: CATEGORIES, levels: ['hold', 'reject'] },
  ],
}

type Json = Record<string, unknown>
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

function fieldKeys(kind: Kind): string[] {
  return GROUPS[kind].flatMap((g) =>
    g.keys.flatMap((k) => g.levels.map((l) => [...g.path, k, l].join('.'))),
  )
}

function getAt(root: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (isJson(node) ? node[part] : undefined), root)
}

function textsOf(kind: Kind, thresholds: unknown): Record<string, string> {
  return Object.fromEntries(
    fieldKeys(kind).map((key) => {
      const v = getAt(thresholds, key)
      return [key, typeof v === 'number' ? String(v) : '']
    }),
  )
}

// The edited values as a thresholds object; blank means "never triggers".
function buildThresholds(kind: Kind, texts: Record<string, string>): Json | string {
  const out: Json = {}
  for (const key of fieldKeys(kind)) {
    const raw = (texts[key] ?? '').trim()
    const value = raw === '' ? null : Number(raw)
    if (value !== null && (!Number.isFinite(value) || value < 0 || value > 1)) {
      return `${key}: use a number between 0 and 1, or leave it empty`
    }
    const parts = key.split('.')
    let node = out
    for (const part of parts.slice(0, -1)) {
      const child = isJson(node[part]) ? node[part] : {}
      node[part] = child
      node = child as Json
    }
    node[parts[parts.length - 1] ?? key] = value
  }
  return out
}

// One row per subject: the API replays each subject's latest decision once; this keeps a
// repeated id (an older API) from becoming duplicate rows and React key clashes.
function uniqueChanges(changes: Preview['changes']) {
  const seen = new Set<string>()
  return changes.filter((c) => !seen.has(c.subjectId) && seen.add(c.subjectId))
}

export function Thresholds() {
  const policies = useAsync(() => read(api.moderation.policies.$get()), 'policies', {
    keepPrevious: true,
  })
  const [kind, setKind] = useState<Kind>('video')
  return (
    <div>
      <header className="page-head">
        <h1>Thresholds</h1>
        <div className="tabs" role="tablist">
          {(['video', 'comment'] as const).map((k) => (
            <button
              key={k}
              role="tab"
              type="button"
              aria-selected={kind === k}
              onClick={() => setKind(k)}
            >
              {k === 'video' ? 'Video signals' : 'Comments'}
            </button>
          ))}
        </div>
      </header>
      {policies.status === 'loading' && <Loading />}
      {policies.status === 'error' && (
        <ErrorNote message={policies.error} retry={policies.reload} />
      )}
      {policies.status === 'ready' && (
        <PolicyEditor
          key={`${kind}:${policies.data[kind].version}`}
          kind={kind}
          policy={policies.data[kind]}
          onSaved={policies.reload}
        />
      )}
    </div>
  )
}

function PolicyEditor({
  kind,
  policy,
  onSaved,
}: {
  kind: Kind
  policy: Policies[Kind]
  onSaved: () => void
}) {
  const me = useMe()
  const initial = useMemo(() => textsOf(kind, policy.thresholds), [kind, policy.thresholds])
  const [texts, setTexts] = useState(initial)
  const [last, setLast] = useState('200')
  const [note, setNote] = useState('')
  const [preview, setPreview] = useState<{ for: string; result: Preview } | null>(null)
  const [status, setStatus] = useState('')
  const [busy, setBusy] = useState(false)
  const built = buildThresholds(kind, texts)
  const invalid = typeof built === 'string' ? built : ''
  const stamp = JSON.stringify(texts)
  const changed = stamp !== JSON.stringify(initial)
  const previewed = preview?.for === `${stamp}|${last}`

  function runPreview() {
    if (typeof built === 'string') return
    setBusy(true)
    setStatus('')
    read(
      api.moderation.policies[':kind{video|comment}'].preview.$post({
        param: { kind },
        json: { thresholds: built, last: Math.max(1, Math.min(5000, Number(last) || 200)) },
      }),
    )
      .then((result) => setPreview({ for: `${stamp}|${last}`, result }))
      .catch((err: unknown) => setStatus(messageOf(err)))
      .finally(() => setBusy(false))
  }

  function save() {
    if (typeof built === 'string') return
    setBusy(true)
    read(
      api.moderation.policies[':kind{video|comment}'].$put({
        param: { kind },
        json: { thresholds: built, note },
      }),
    )
      .then((r) => {
        setStatus(`Saved as version ${r.policy.version ?? '?'}`)
        onSaved()
      })
      .catch((err: unknown) => setStatus(messageOf(err)))
      .finally(() => setBusy(false))
  }

  return (
    <section aria-label={`${kind} thresholds`}>
      <p className="muted">
        In force:{' '}
        {policy.version
          ? `version ${policy.version} since ${dateTime(policy.createdAt)}`
          : 'the built-in defaults (no saved version yet)'}
        . Empty = never triggers.
      </p>
      {GROUPS[kind].map((g) => (
        <table key={g.title} className="thresholds">
          <caption>{g.title}</caption>
          <thead>
            <tr>
              <th>Category</th>
              <th>{g.levels[0]}</th>
              <th>{g.levels[1]}</th>
            </tr>
          </thead>
          <tbody>
            {g.keys.map((k) => (
              <tr key={k}>
                <th title={CATEGORY_NAMES[k] ?? k}>
                  {k} <span className="muted">{CATEGORY_NAMES[k] ?? ''}</span>
                </th>
                {g.levels.map((l) => {
                  const key = [...g.path, k, l].join('.')
                  return (
                    <td key={l}>
                      <input
                        aria-label={`${g.title} ${k} ${l}`}
                        inputMode="decimal"
                        value={texts[key] ?? ''}
                        onChange={(e) => setTexts((t) => ({ ...t, [key]: e.target.value }))}
                      />
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {invalid && (
        <p className="hint" role="alert">
          {invalid}
        </p>
      )}
      <div className="action-bar">
        <label>
          Last N decisions
          <input value={last} inputMode="numeric" onChange={(e) => setLast(e.target.value)} />
        </label>
        <button type="button" disabled={busy || !!invalid} onClick={runPreview}>
          Preview changes
        </button>
        {me?.role === 'admin' ? (
          <>
            <label>
              Note
              <input
                value={note}
                maxLength={500}
                placeholder="Why these thresholds"
                onChange={(e) => setNote(e.target.value)}
              />
            </label>
            <button
              type="button"
              disabled={busy || !changed || !previewed || !!invalid}
              onClick={save}
              title={previewed ? 'Save as a new version' : 'Preview these values first'}
            >
              Save new version
            </button>
          </>
        ) : (
          <span className="muted">Only admins can save thresholds.</span>
        )}
        {status && <span role="status">{status}</span>}
      </div>
      {preview && (
        <div className="panel" aria-label="Preview">
          <p>
            <strong>{preview.result.changed}</strong> of {preview.result.evaluated} recent decisions
            would change (each clip or comment once, at its latest decision)
            {previewed ? '' : ' (values edited since: preview again)'}.
          </p>
          {preview.result.changes.length > 0 && (
            <ul className="preview-changes">
              {uniqueChanges(preview.result.changes)
                .slice(0, 20)
                .map((c) => (
                  <li key={c.subjectId}>
                    <span className="subject-label" title={c.label ?? c.subjectId}>
                      {c.label ?? `${kind === 'video' ? 'Video' : 'Comment'} (deleted)`}
                    </span>{' '}
                    <span className="muted">
                      {c.from.replace('_', ' ')} → {c.to.replace('_', ' ')}
                    </span>{' '}
                    <Link
                      to={`/history?subjectType=${kind}&subjectId=${encodeURIComponent(c.subjectId)}`}
                    >
                      timeline
                    </Link>
                  </li>
                ))}
            </ul>
          )}
        </div>
      )}
    </section>
  )
}
