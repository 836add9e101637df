import { api } from '../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { Action } from '../api/types'
import { ago } from './format'
import { CATEGORY_NAMES, type Category } from './ScoreChips'

type MessageCheck = { status: 'held' | 'unchecked'; categories: string[] }

type AppealView = {
  id: string
  message: string
  // The text classifier's word on the message: null when nothing was flagged. (A message it
  // rejects never reaches a moderator: the creator is asked to rewrite it.)
  messageCheck?: MessageCheck | null
  status: 'pending' | 'upheld' | 'overturned'
  response: string | null
  createdAt: number
}

// In the Appealed tabs the queue's approve and reject answer the creator's appeal.
export const APPEAL_LABELS: Partial<Record<Action, string>> = {
  approve: 'Overturn',
  reject: 'Uphold',
}

export const APPEAL_PAST: Partial<Record<Action, string>> = {
  approve: 'Overturned the appeal on',
  reject: 'Upheld the decision on',
}

// Answers the appeals on these items (overturn publishes, uphold keeps it down); the reason
// is shown to the creator. The category the moderator chose goes with an uphold only (the API
// refuses it with an overturn). Resolves to how many were answered.
export async function answerAppeals(
  items: { id: string; appeal: AppealView | null }[],
  ids: string[],
  action: Action,
  reason: string,
  category: Category | '' = '',
) {
  if (action === 'restore') return 0
  const outcome = action === 'approve' ? 'overturn' : 'uphold'
  let answered = 0
  for (const id of ids) {
    const appeal = items.find((i) => i.id === id)?.appeal
    if (!appeal || appeal.status !== 'pending') continue
    await read(
      api.moderation.appeals[':id'].decision.$post({
        param: { id: appeal.id },
        json: { outcome, reason, ...(outcome === 'uphold' && category ? { category } : {}) },
      }),
    )
    answered++
  }
  return answered
}

function flagWords(check: MessageCheck) {
  if (check.status === 'unchecked') return 'not checked (the text check was unavailable)'
  const names = check.categories.map((c) => CATEGORY_NAMES[c] ?? c)
  return names.length ? `flagged: likely ${names.join(', ')}` : 'flagged'
}

// The creator's appeal as the moderator reads it. A flagged message says so before it is read;
// the flag is about the message, not a reason to uphold the decision.
export function AppealNote({ appeal, compact = false }: { appeal: AppealView; compact?: boolean }) {
  const check = appeal.messageCheck ?? null
  if (compact) {
    return (
      <>
        <span className="appeal-badge" title={appeal.message}>
          Appealed {ago(appeal.createdAt)} ago
        </span>
        {check && (
          <span className="appeal-badge appeal-flag">
            Message {check.status === 'held' ? 'flagged' : 'not checked'}
          </span>
        )}
      </>
    )
  }
  return (
    <section className="appeal-note" aria-label="Creator's appeal">
      <h3>Appeal ({appeal.status})</h3>
      {check && (
        <p className="appeal-flag-note" role="note">
          Message {flagWords(check)}. It was filed anyway: judge the decision, not the tone.
        </p>
      )}
      <blockquote>{appeal.message}</blockquote>
      <p className="muted">
        Sent {ago(appeal.createdAt)} ago. Overturn publishes it; Uphold keeps it down. Your reason
        is shown to the creator.
      </p>
      {appeal.response && <p>Answer: {appeal.response}</p>}
    </section>
  )
}
