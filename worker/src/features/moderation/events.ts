import type { Db } from '../../db/client'
import { moderationEvents } from '../../db/schema'
import { newId } from '../../lib/ids'

export type ModerationEventInput = Omit<typeof moderationEvents.$inferInsert, 'id' | 'createdAt'>

// Every decision, machine or human, is one row: the audit log moderators and
// creators can trust. Never updated, never deleted.
export function moderationEventInsert(db: Db, event: ModerationEventInput) {
  return db.insert(moderationEvents).values({ id: newId(), ...event })
}

export async function recordModerationEvent(db: Db, event: ModerationEventInput) {
  await moderationEventInsert(db, event)
}
