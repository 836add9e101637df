import { and, desc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { appeals, comments, videos, type AppealSubject } from '../../db/schema'
import { ApiError, forbidden, notFound } from '../../lib/errors'
import { newId } from '../../lib/ids'
import { refreshCommentCount } from '../comments/count'
import { moderationEventInsert } from '../moderation/events'

export type AppealRow = typeof appeals.$inferSelect

// What can be appealed: a decision that keeps the subject from being seen. A clip or comment
// the owner deleted, or one already published, has nothing to appeal.
const APPEALABLE: Record<AppealSubject, readonly string[]> = {
  video: ['rejected', 'in_review'],
  comment: ['rejected', 'held'],
}

// The creator's view of an appeal: their words, the state and the moderator's reason.
export function presentAppeal(row: AppealRow) {
  return {
    id: row.id,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    message: row.message,
    status: row.status,
    response: row.response,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
  }
}
export type PresentedAppeal = ReturnType<typeof presentAppeal>

async function loadSubject(db: Db, subjectType: AppealSubject, id: string) {
  if (subjectType === 'video') {
    const [row] = await db
      .select({ ownerId: videos.creatorId, status: videos.status })
      .from(videos)
      .where(eq(videos.id, id))
    return row
  }
  const [row] = await db
    .select({ ownerId: comments.authorId, status: comments.status })
    .from(comments)
    .where(eq(comments.id, id))
  return row
}

const NOUN: Record<AppealSubject, string> = { video: 'Clip', comment: 'Comment' }

export async function fileAppeal(
  db: Db,
  appellantId: string,
  input: { subjectType: AppealSubject; subjectId: string; message: string },
) {
  const subject = await loadSubject(db, input.subjectType, input.subjectId)
  // Someone else's unpublished content does not exist for this caller.
  if (!subject) throw notFound(NOUN[input.subjectType])
  if (subject.ownerId !== appellantId) {
    if (subject.status !== 'published') throw notFound(NOUN[input.subjectType])
    throw forbidden('Only its creator can appeal a decision')
  }
  if (!APPEALABLE[input.subjectType].includes(subject.status)) {
    throw new ApiError(
      409,
      'not_appealable',
      `Only a rejected or held ${NOUN[input.subjectType].toLowerCase()} can be appealed`,
    )
  }
  // The unique index makes "once" hold under concurrent requests too.
  const [row] = await db
    .insert(appeals)
    .values({
      id: newId(),
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      appellantId,
      message: input.message,
      appealedStatus: subject.status,
    })
    .onConflictDoNothing()
    .returning()
  if (!row) {
    throw new ApiError(409, 'already_appealed', 'This decision was already appealed (once only)')
  }
  return row
}

export async function appealsOf(
  db: Db,
  appellantId: string,
  filter: { subjectType?: AppealSubject; subjectId?: string },
) {
  return db
    .select()
    .from(appeals)
    .where(
      and(
        eq(appeals.appellantId, appellantId),
        filter.subjectType ? eq(appeals.subjectType, filter.subjectType) : undefined,
        filter.subjectId ? eq(appeals.subjectId, filter.subjectId) : undefined,
      ),
    )
    .orderBy(desc(appeals.createdAt))
    .limit(200)
}

export async function appealsFor(db: Db, subjectType: AppealSubject, ids: string[]) {
  const out = new Map<string, AppealRow>()
  if (!ids.length) return out
  const rows = await db
    .select()
    .from(appeals)
    .where(and(eq(appeals.subjectType, subjectType), inArray(appeals.subjectId, ids)))
  for (const row of rows) out.set(row.subjectId, row)
  return out
}

type Outcome = 'upheld' | 'overturned'

// Marks a pending appeal answered. Only one answer wins: the update is conditional on
// `pending`, so two moderators answering at once cannot both change the subject.
async function closeAppeal(
  db: Db,
  where: SQL | undefined,
  outcome: Outcome,
  reason: string,
  moderatorId: string,
) {
  return db
    .update(appeals)
    .set({ status: outcome, response: reason, decidedBy: moderatorId, decidedAt: Date.now() })
    .where(and(where, eq(appeals.status, 'pending')))
    .returning()
}

// A moderator's decision through the ordinary queue also answers a pending appeal on the
// subject: approving overturns it, rejecting upholds it, with the same reason.
export async function settleAppeal(
  db: Db,
  subjectType: AppealSubject,
  subjectId: string,
  outcome: Outcome,
  reason: string,
  moderatorId: string,
) {
  await closeAppeal(
    db,
    and(eq(appeals.subjectType, subjectType), eq(appeals.subjectId, subjectId)),
    outcome,
    reason,
    moderatorId,
  )
}

// The moderator's answer to an appeal. Overturn publishes the subject; uphold keeps it
// unpublished (a held one becomes rejected: a person has now decided). Logged like every
// other decision.
export async function answerAppeal(
  db: Db,
  moderatorId: string,
  appealId: string,
  answer: { outcome: 'overturn' | 'uphold'; reason: string },
) {
  const [appeal] = await db.select().from(appeals).where(eq(appeals.id, appealId))
  if (!appeal) throw notFound('Appeal')
  if (appeal.status !== 'pending') {
    throw new ApiError(409, 'already_answered', `This appeal was already ${appeal.status}`)
  }
  const subject = await loadSubject(db, appeal.subjectType, appeal.subjectId)
  if (!subject || !APPEALABLE[appeal.subjectType].includes(subject.status)) {
    throw new ApiError(
      409,
      'subject_changed',
      `The ${NOUN[appeal.subjectType].toLowerCase()} is ${subject?.status ?? 'gone'} now; there is nothing to decide`,
    )
  }
  const outcome: Outcome = answer.outcome === 'overturn' ? 'overturned' : 'upheld'
  const [closed] = await closeAppeal(
    db,
    eq(appeals.id, appeal.id),
    outcome,
    answer.reason,
    moderatorId,
  )
  if (!closed) throw new ApiError(409, 'already_answered', 'This appeal was answered meanwhile')
  const now = Date.now()
  const publish = outcome === 'overturned'
  const explanation = `Appeal ${outcome}: ${answer.reason}`
  if (appeal.subjectType === 'video') {
    const [video] = await db.select().from(videos).where(eq(videos.id, appeal.subjectId))
    const to = publish ? ('published' as const) : ('rejected' as const)
    await db.batch([
      db
        .update(videos)
        .set({
          status: to,
          statusReason: publish
            ? null
            : subject.status === 'rejected'
              ? video?.statusReason
              : `Rejected by a moderator: ${answer.reason}`,
          publishedAt: publish ? (video?.publishedAt ?? now) : (video?.publishedAt ?? null),
          statusChangedAt: now,
          updatedAt: now,
        })
        .where(eq(videos.id, appeal.subjectId)),
      moderationEventInsert(db, {
        subjectType: 'video',
        subjectId: appeal.subjectId,
        source: 'human',
        actorId: moderatorId,
        decision: to,
        explanation,
      }),
    ])
  } else {
    const [comment] = await db.select().from(comments).where(eq(comments.id, appeal.subjectId))
    const to = publish ? ('published' as const) : ('rejected' as const)
    await db.batch([
      db
        .update(comments)
        .set({
          status: to,
          reason: publish
            ? 'Approved by a moderator'
            : subject.status === 'rejected'
              ? comment?.reason
              : `Rejected: ${answer.reason}`,
          updatedAt: now,
        })
        .where(eq(comments.id, appeal.subjectId)),
      moderationEventInsert(db, {
        subjectType: 'comment',
        subjectId: appeal.subjectId,
        source: 'human',
        actorId: moderatorId,
        decision: to,
        explanation,
      }),
    ])
    if (comment) await refreshCommentCount(db, comment.videoId)
  }
  return closed
}
