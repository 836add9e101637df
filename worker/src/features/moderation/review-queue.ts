import { and, desc, eq, gt, inArray, or, type SQL } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import { z } from 'zod'
import type { Db } from '../../db/client'
import { appeals, moderationEvents, type comments, type videos } from '../../db/schema'
import { readMessageCheck, settleAppeal, type AppealRow } from '../appeals/service'
import { CATEGORIES } from '../admin/signals'
import { closeOpenReports, withOpenReports } from '../reports/close'
import { moderationEventInsert } from './events'

// What the video and comment review queues share: the queue's paging, the decision's input,
// and the reads that put the machine's decision, the appeal and past removals beside each item.

export const queueQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
export const reason = z.string().trim().min(3, 'Give a reason (at least 3 characters)').max(500)
export const actions = z.enum(['approve', 'reject', 'restore'])
// The policy category a rejection is about, as the moderator judged it (it may differ from
// the machine's); recorded on the decision's event. Only a rejection names one.
export const category = z.enum(CATEGORIES).optional()
export const categoryGoesWithReject = {
  check: (input: { action: string; category?: string }) =>
    input.category === undefined || input.action === 'reject',
  message: { message: 'A category is given only with reject', path: ['category'] },
}

export function keyset(
  after: { at: number; id: string } | undefined,
  col: typeof videos.statusChangedAt | typeof comments.createdAt,
  id: typeof videos.id | typeof comments.id,
): SQL | undefined {
  return after ? or(gt(col, after.at), and(eq(col, after.at), gt(id, after.id))) : undefined
}

export async function latestMachineEvents(db: Db, subjectType: 'video' | 'comment', ids: string[]) {
  if (!ids.length) return new Map<string, typeof moderationEvents.$inferSelect>()
  const rows = await db
    .select()
    .from(moderationEvents)
    .where(
      and(
        eq(moderationEvents.subjectType, subjectType),
        inArray(moderationEvents.subjectId, ids),
        eq(moderationEvents.source, 'machine'),
      ),
    )
    .orderBy(desc(moderationEvents.createdAt))
  const latest = new Map<string, typeof moderationEvents.$inferSelect>()
  for (const row of rows) if (!latest.has(row.subjectId)) latest.set(row.subjectId, row)
  return latest
}

// The queue's view of an appeal on an item: the creator's words, what the text classifier
// made of them (null: nothing flagged) and where it stands.
export function appealOf(row: AppealRow | undefined) {
  return row
    ? {
        id: row.id,
        message: row.message,
        messageCheck: readMessageCheck(row.messageCheck),
        status: row.status,
        response: row.response,
        createdAt: row.createdAt,
      }
    : null
}

// "Appealed" queues: subjects with a pending appeal, whatever their status.
export const pendingAppealOn = (
  subjectType: 'video' | 'comment',
  id: typeof videos.id | typeof comments.id,
) =>
  and(
    eq(appeals.subjectType, subjectType),
    eq(appeals.subjectId, id),
    eq(appeals.status, 'pending'),
  )

// Content its owner deleted (or an upload they cancelled) is gone for good:
// only what a moderator removed can be restored. Moderator removals are the
// ones with a human `removed` event.
async function removedByModerators(db: Db, subjectType: 'video' | 'comment', ids: string[]) {
  if (!ids.length) return new Set<string>()
  const rows = await db
    .select({ id: moderationEvents.subjectId })
    .from(moderationEvents)
    .where(
      and(
        eq(moderationEvents.subjectType, subjectType),
        inArray(moderationEvents.subjectId, ids),
        eq(moderationEvents.source, 'human'),
        eq(moderationEvents.decision, 'removed'),
      ),
    )
  return new Set(rows.map((r) => r.id))
}

export interface ModeratorDecision {
  action: z.infer<typeof actions>
  why: string
  category: z.infer<typeof category>
  moderatorId: string
}

export interface DecisionResult {
  id: string
  status: string | null
  error?: string
}

// What a decision on one kind of subject needs beside the steps every kind shares.
export interface DecisionTarget<Row extends { id: string; status: string }> {
  subjectType: 'video' | 'comment'
  // Who deletes their own: "a video its owner deleted", "a comment its author deleted".
  deleter: 'owner' | 'author'
  change: { from: readonly string[]; to: string }
  // The status a restore puts back: not a verdict, so it neither closes reports nor answers
  // an appeal.
  inReview: string
  rows: Row[]
  statusChange: (row: Row) => BatchItem<'sqlite'>
}

// The steps every moderator decision shares, subject by subject in the order asked: refuse
// what is missing, what its owner deleted and what the action cannot apply to; then the
// status change, the moderator's event and the closing of open reports in one batch, and the
// answer to a pending appeal.
export async function applyDecisions<Row extends { id: string; status: string }>(
  db: Db,
  ids: string[],
  decision: ModeratorDecision,
  target: DecisionTarget<Row>,
): Promise<{ results: DecisionResult[]; decided: Row[] }> {
  const { action, why, moderatorId } = decision
  const { subjectType, change, rows } = target
  const results: DecisionResult[] = []
  const decided: Row[] = []
  const restorable = await removedByModerators(
    db,
    subjectType,
    rows.filter((r) => r.status === 'removed').map((r) => r.id),
  )
  // A decision closes the subject's open reports (see reports/close.ts).
  const reported = await withOpenReports(
    db,
    subjectType,
    rows.map((r) => r.id),
  )
  const verdict = change.to !== target.inReview
  for (const id of ids) {
    const row = rows.find((r) => r.id === id)
    if (!row) {
      results.push({ id, status: null, error: 'not_found' })
      continue
    }
    if (row.status === 'removed' && !restorable.has(id)) {
      results.push({
        id,
        status: row.status,
        error: `cannot ${action} a ${subjectType} its ${target.deleter} deleted`,
      })
      continue
    }
    if (!change.from.includes(row.status)) {
      results.push({
        id,
        status: row.status,
        error: `cannot ${action} a ${subjectType} that is ${row.status}`,
      })
      continue
    }
    await db.batch([
      target.statusChange(row),
      moderationEventInsert(db, {
        subjectType,
        subjectId: id,
        source: 'human',
        actorId: moderatorId,
        decision: change.to,
        explanation: why,
        category: decision.category ?? null,
      }),
      ...(reported.has(id) && verdict
        ? closeOpenReports(db, {
            subjectType,
            subjectId: id,
            state: change.to === 'published' ? 'dismissed' : 'resolved',
            reason: why,
            moderatorId,
          })
        : []),
    ])
    if (verdict) {
      await settleAppeal(
        db,
        subjectType,
        id,
        change.to === 'published' ? 'overturned' : 'upheld',
        why,
        moderatorId,
      )
    }
    decided.push(row)
    results.push({ id, status: change.to })
  }
  return { results, decided }
}
