import type { RefObject } from 'react'
import type { Action } from '../api/types'
import { CategorySelect } from './CategorySelect'
import type { Category } from './ScoreChips'

type Props = {
  count: number
  reason: string
  onReason: (text: string) => void
  reasonRef: RefObject<HTMLInputElement | null>
  onAct: (action: Action) => void
  actions: Action[]
  busy: boolean
  hint: string
  result: string
  // Other words for the actions (the Appealed tabs answer appeals: Overturn, Uphold).
  labels?: Partial<Record<Action, string>>
  // The policy category a rejection is about, as the moderator judges it (sent with Reject, or
  // Uphold in the Appealed tabs, only; none keeps the machine's). Absent where none is named.
  category?: Category | ''
  onCategory?: (category: Category | '') => void
}

const LABEL: Record<Action, string> = { approve: 'Approve', reject: 'Reject', restore: 'Restore' }
const KEY: Record<Action, string> = { approve: 'a', reject: 'r', restore: 'u' }

// Decisions always carry a reason: the buttons stay disabled until there is one.
export function ActionBar(props: Props) {
  const ready = props.reason.trim().length >= 3
  const label = (a: Action) => props.labels?.[a] ?? LABEL[a]
  return (
    <div className="action-bar">
      <label>
        Reason
        <input
          ref={props.reasonRef}
          value={props.reason}
          maxLength={500}
          placeholder="Why (required, shown in the audit log)"
          onChange={(e) => props.onReason(e.target.value)}
        />
      </label>
      {props.onCategory && props.actions.includes('reject') && (
        <CategorySelect value={props.category ?? ''} onChange={props.onCategory} />
      )}
      {props.actions.map((a) => (
        <button
          key={a}
          type="button"
          className={a}
          disabled={!ready || props.busy || props.count === 0}
          onClick={() => props.onAct(a)}
          title={`${label(a)} (${KEY[a]})`}
        >
          {label(a)} {props.count > 1 ? `${props.count} items` : ''}
        </button>
      ))}
      {props.hint && (
        <span className="hint" role="alert">
          {props.hint}
        </span>
      )}
      {props.result && (
        <span className="result" role="status">
          {props.result}
        </span>
      )}
      <span className="keys muted">
        j/k move · x select ·{' '}
        {props.actions.map((a) => `${KEY[a]} ${label(a).toLowerCase()}`).join(' · ')}
      </span>
    </div>
  )
}
