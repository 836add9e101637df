import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { profileChanges, users, type ProfileField } from '../../db/schema'
import { newId } from '../../lib/ids'
import { moderateComment } from '../comments/moderate'
import { moderationEventInsert } from '../moderation/events'

// Display names and bios are user text others read, so they go through the
// same classifier and thresholds as comments. A held or rejected text is kept
// aside in profile_changes: the profile keeps showing the old text to others
// until a moderator approves the new one; only its author sees it, with the
// reason in words.

export type ProfileTextOutcome = { status: 'published' | 'held' | 'rejected'; reason: string }

const OPEN = ['held', 'rejected'] as const

async function latestOpenChange(db: Db, userId: string, field: ProfileField) {
  const [row] = await db
    .select()
    .from(profileChanges)
    .where(
      and(
        eq(profileChanges.userId, userId),
        eq(profileChanges.field, field),
        inArray(profileChanges.status, OPEN),
      ),
    )
    .orderBy(desc(profileChanges.createdAt))
    .limit(1)
  return row
}

const fieldValue = (field: ProfileField, text: string) =>
  field === 'bio' ? { bio: text } : { displayName: text }

// A newer text for the same field replaces whatever was waiting.
function supersedeOpen(db: Db, userId: string, field: ProfileField) {
  return db
    .update(profileChanges)
    .set({ status: 'superseded', updatedAt: Date.now() })
    .where(
      and(
        eq(profileChanges.userId, userId),
        eq(profileChanges.field, field),
        inArray(profileChanges.status, OPEN),
      ),
    )
}

/**
 * Moderates a new display name or bio. Published text goes to `users` at
 * once; held or rejected text waits in profile_changes. Clearing a field and
 * saving the text already shown need no check.
 */
export async function changeProfileText(
  env: Env,
  db: Db,
  userId: string,
  field: ProfileField,
  text: string,
  current: string,
): Promise<ProfileTextOutcome | null> {
  if (text === current) return null
  if (!text.trim()) {
    await db.batch([
      supersedeOpen(db, userId, field),
      db
        .update(users)
        .set({ ...fieldValue(field, text), updatedAt: Date.now() })
        .where(eq(users.id, userId)),
    ])
    return { status: 'published', reason: 'Published' }
  }
  // Saving the form again with the text that is already waiting is not a new change.
  const waiting = await latestOpenChange(db, userId, field)
  if (waiting && waiting.text === text) {
    return { status: waiting.status === 'rejected' ? 'rejected' : 'held', reason: waiting.reason }
  }

  const verdict = await moderateComment(env, db, text)
  const scores = verdict.scores ? JSON.stringify(verdict.scores) : null
  const event = moderationEventInsert(db, {
    subjectType: 'user',
    subjectId: userId,
    source: 'machine',
    decision: verdict.status,
    scores,
    explanation: `${field === 'bio' ? 'Bio' : 'Display name'}: ${verdict.explanation}`,
    model: verdict.model,
    modelVersion: verdict.modelVersion,
    policyVersion: verdict.policyVersion,
  })
  if (verdict.status === 'published') {
    await db.batch([
      supersedeOpen(db, userId, field),
      db
        .update(users)
        .set({ ...fieldValue(field, text), updatedAt: Date.now() })
        .where(eq(users.id, userId)),
      event,
    ])
  } else {
    await db.batch([
      supersedeOpen(db, userId, field),
      db.insert(profileChanges).values({
        id: newId(),
        userId,
        field,
        text,
        status: verdict.status,
        reason: verdict.reason,
        scores,
        modelVersion: verdict.modelVersion,
      }),
      event,
    ])
  }
  return { status: verdict.status, reason: verdict.reason }
}

/** The author's own view of what is waiting or was turned down: text and reason, no scores. */
export async function loadProfileReview(db: Db, userId: string) {
  const rows = await db
    .select({
      id: profileChanges.id,
      field: profileChanges.field,
      text: profileChanges.text,
      status: profileChanges.status,
      reason: profileChanges.reason,
      createdAt: profileChanges.createdAt,
    })
    .from(profileChanges)
    .where(and(eq(profileChanges.userId, userId), inArray(profileChanges.status, OPEN)))
    .orderBy(desc(profileChanges.createdAt))
  return rows.map((r) => ({ ...r, status: r.status as (typeof OPEN)[number] }))
}
