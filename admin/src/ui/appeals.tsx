import { api } from '../api/client'
import { read } from '../api/errors'
import type { Action } from '../api/types'
import { ago } from './format'

type AppealView = {
  id: string
  message: string
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
// is shown to the creator. Resolves to how many were answered.
export async function answerAppeals(
  items: { id: string; appeal: AppealView | null }[],
  ids: string[],
  action: Action,
  reason: string,
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
        json: { outcome, reason },
      }),
    )
    answered++
  }
  return answered
}

// The creator's appeal as the moderator reads it.
export function AppealNote({ appeal, compact = false }: { appeal: AppealView; compact?: boolean }) {
  if (compact) {
    return (
      <span className="appeal-badge" title={appeal.message}>
        Appealed {ago(appeal.createdAt)} ago
      </span>
    )
  }
  return (
    <section className="appeal-note" aria-label="Creator's appeal">
      <h3>Appeal ({appeal.status})</h3>
      <blockquote>{appeal.message}</blockquote>
      <p className="muted">
        Sent {ago(appeal.createdAt)} ago. Overturn publishes it; Uphold keeps it down. Your reason
        is shown to the creator.
      </p>
      {appeal.response && <p>Answer: {appeal.response}</p>}
    </section>
  )
}
