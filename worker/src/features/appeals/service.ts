import { and, desc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { appeals, comments, videos, type AppealSubject } from '../../db/schema'
import { ApiError, forbidden, notFound } from '../../lib/errors'
import { newId } from '../../lib/ids'
import type { Category } from '../admin/signals'
import { refreshCommentCount } from '../comments/count'
import { moderateComment } from '../comments/moderate'
import { CATEGORY_WORDS } from '../moderation/author-notice'
import { moderationEventInsert, recordModerationEvent } from '../moderation/events'

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

// What moderators are told about an appeal's message (appeals.message_check).
export type MessageCheck = { status: 'held' | 'unchecked'; categories: string[] }

export function readMessageCheck(text: string | null): MessageCheck | null {
  if (!text) return null
  try {
    const value = JSON.parse(text) as Partial<MessageCheck>
    return {
      status: value.status === 'held' ? 'held' : 'unchecked',
      categories: Array.isArray(value.categories) ? value.categories.map(String) : [],
    }
  } catch {
    return { status: 'unchecked', categories: [] }
  }
}

// An appeal's message is user text like a comment or a bio, but only moderators read it, and
// an appeal is the author's one chance to be heard. So it goes through the same classifier
// and policy, with these outcomes:
// - rejected (clear abuse at the reject threshold): refused with a 422 that says why in
//   words; nothing is stored, so the author can still appeal once with another message;
// - held (borderline), or the classifier could not run: the appeal is filed (an outage or a
//   blunt message must not cost anyone their appeal) and flagged for the moderator, who sees
//   the categories before reading it;
// - published: filed as it is.
// Held and refused messages are logged against the author (subject 'user'), like profile
// text, so a pattern of abuse is visible in the moderation log. Scores stay in that log.
async function checkMessage(env: Env, db: Db, appellantId: string, message: string) {
  const verdict = await moderateComment(env, db, message)
  if (verdict.status === 'published') return null
  await recordModerationEvent(db, {
    subjectType: 'user',
    subjectId: appellantId,
    source: 'machine',
    decision: verdict.status,
    scores: verdict.scores ? JSON.stringify(verdict.scores) : null,
    explanation: `Appeal message${verdict.status === 'rejected' ? ' refused' : ''}: ${verdict.explanation}`,
    model: verdict.model,
    modelVersion: verdict.modelVersion,
    policyVersion: verdict.policyVersion,
  })
  const categories = [...new Set(verdict.flagged.map((f) => f.category))]
  if (verdict.status === 'rejected') {
    const rejected = verdict.flagged.filter((f) => f.level === 'reject').map((f) => f.category)
    const words = [...new Set(rejected.map((c) => CATEGORY_WORDS[c] ?? c))].slice(0, 2)
    throw new ApiError(
      422,
      'appeal_message_refused',
      `Your appeal was not sent: the message reads as ${words.join(' and ') || 'abuse'}. ` +
        'Say why the decision is wrong without insults or threats; you can still appeal.',
    )
  }
  const check: MessageCheck = { status: verdict.scores ? 'held' : 'unchecked', categories }
  return JSON.stringify(check)
}

export async function fileAppeal(
  env: Env,
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
  // Answer "already appealed" before running the classifier on a message that cannot count.
  const [existing] = await db
    .select({ id: appeals.id })
    .from(appeals)
    .where(and(eq(appeals.subjectType, input.subjectType), eq(appeals.subjectId, input.subjectId)))
  if (existing) throw alreadyAppealed()
  const messageCheck = await checkMessage(env, db, appellantId, input.message)
  // The unique index makes "once" hold under concurrent requests too.
  const [row] = await db
    .insert(appeals)
    .values({
      id: newId(),
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      appellantId,
      message: input.message,
      messageCheck,
      appealedStatus: subject.status,
    })
    .onConflictDoNothing()
    .returning()
  if (!row) throw alreadyAppealed()
  return row
}

const alreadyAppealed = () =>
  new ApiError(409, 'already_appealed', 'This decision was already appealed (once only)')

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
  answer: { outcome: 'overturn' | 'uphold'; reason: string; category?: Category },
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
        category: answer.category ?? null,
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
        category: answer.category ?? null,
      }),
    ])
    if (comment) await refreshCommentCount(db, comment.videoId)
  }
  return closed
}
