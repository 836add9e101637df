import { and, asc, desc, eq, gt, inArray, or, type SQL } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../context'
import type { Db } from '../../db/client'
import { appeals, comments, moderationEvents, users, videos } from '../../db/schema'
import { decodeCursor, encodeCursor } from '../../lib/cursor'
import { validate } from '../../lib/validate'
import { appealAnswerInput } from '../appeals/schema'
import {
  answerAppeal,
  appealsFor,
  readMessageCheck,
  settleAppeal,
  type AppealRow,
} from '../appeals/service'
import { CATEGORIES } from '../admin/signals'
import { requireRole, userOf } from '../auth/middleware'
import { closeOpenReports, withOpenReports } from '../reports/close'
import { refreshCommentCount } from '../comments/count'
import { moderationEventInsert } from './events'
import { profileReviewRoutes } from './profile-review-routes'
import { policyRoutes } from './policy-routes'

// Human review: queues, decisions (one or many at once), appeal answers; thresholds in
// policy-routes.ts, profile texts in profile-review-routes.ts. Every
// action is a moderation_events row with the moderator; the machine's
// original decision stays in the log untouched.

const queueQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
const reason = z.string().trim().min(3, 'Give a reason (at least 3 characters)').max(500)
const actions = z.enum(['approve', 'reject', 'restore'])
// The policy category a rejection is about, as the moderator judged it (it may differ from
// the machine's); recorded on the decision's event. Only a rejection names one.
const category = z.enum(CATEGORIES).optional()
const categoryGoesWithReject = {
  check: (input: { action: string; category?: string }) =>
    input.category === undefined || input.action === 'reject',
  message: { message: 'A category is given only with reject', path: ['category'] },
}

function keyset(
  after: { at: number; id: string } | undefined,
  col: typeof videos.statusChangedAt | typeof comments.createdAt,
  id: typeof videos.id | typeof comments.id,
): SQL | undefined {
  return after ? or(gt(col, after.at), and(eq(col, after.at), gt(id, after.id))) : undefined
}

async function latestMachineEvents(db: Db, subjectType: 'video' | 'comment', ids: string[]) {
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

type VideoStatusChange = { from: string[]; to: 'published' | 'rejected' | 'in_review' }
const VIDEO_ACTIONS: Record<z.infer<typeof actions>, VideoStatusChange> = {
  approve: { from: ['in_review', 'rejected'], to: 'published' },
  reject: { from: ['in_review', 'published'], to: 'rejected' },
  restore: { from: ['rejected', 'removed'], to: 'in_review' },
}
const COMMENT_ACTIONS = {
  approve: { from: ['held', 'rejected'], to: 'published' },
  reject: { from: ['held', 'published'], to: 'rejected' },
  restore: { from: ['rejected', 'removed'], to: 'held' },
} as const

// Content its owner deleted (or an upload they cancelled) is gone for good:
// only what a moderator removed can be restored. Moderator removals are the
// ones with a human `removed` event.
// The queue's view of an appeal on an item: the creator's words, what the text classifier
// made of them (null: nothing flagged) and where it stands.
function appealOf(row: AppealRow | undefined) {
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
const pendingAppealOn = (
  subjectType: 'video' | 'comment',
  id: typeof videos.id | typeof comments.id,
) =>
  and(
    eq(appeals.subjectType, subjectType),
    eq(appeals.subjectId, id),
    eq(appeals.status, 'pending'),
  )

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

export const reviewRoutes = new Hono<AppEnv>()
  .use(requireRole('moderator'))
  .route('/profiles', profileReviewRoutes)
  .route('/policies', policyRoutes)
  .get(
    '/videos',
    validate(
      'query',
      queueQuery.extend({
        status: z.enum(['in_review', 'rejected', 'appealed']).default('in_review'),
      }),
    ),
    async (c) => {
      const db = c.var.db
      const { status, cursor, limit } = c.req.valid('query')
      const after = decodeCursor(cursor)
      const base = db
        .select({ video: videos, creator: { id: users.id, username: users.username } })
        .from(videos)
        .innerJoin(users, eq(users.id, videos.creatorId))
      const rows = await (
        status === 'appealed' ? base.innerJoin(appeals, pendingAppealOn('video', videos.id)) : base
      )
        .where(
          and(
            status === 'appealed' ? undefined : eq(videos.status, status),
            keyset(after, videos.statusChangedAt, videos.id),
          ),
        )
        .orderBy(asc(videos.statusChangedAt), asc(videos.id))
        .limit(limit + 1)
      const page = rows.slice(0, limit)
      const events = await latestMachineEvents(
        db,
        'video',
        page.map((r) => r.video.id),
      )
      const appealRows = await appealsFor(
        db,
        'video',
        page.map((r) => r.video.id),
      )
      // The dashboard lives on another origin: absolute links to this Worker,
      // from configuration (never the request's Host header). They need the
      // moderator's session cookie; there is no link that works without it.
      const origin = c.env.APP_ORIGIN
      const out = []
      for (const { video, creator } of page) {
        const base = `${origin}/media/videos/${video.id}`
        const media = JSON.parse(video.media ?? 'null') as {
          frames?: { path: string; timeSeconds: number; scores: Record<string, number> | null }[]
        } | null
        const event = events.get(video.id)
        out.push({
          id: video.id,
          title: video.title,
          description: video.description,
          status: video.status,
          statusReason: video.statusReason,
          createdAt: video.createdAt,
          statusChangedAt: video.statusChangedAt,
          durationSeconds: video.durationSeconds,
          creator,
          posterUrl: media ? `${base}/poster.jpg` : null,
          playlistUrl: media ? `${base}/hls/master.m3u8` : null,
          frames: (media?.frames ?? []).map((f) => ({
            url: `${base}/${f.path}`,
            timeSeconds: f.timeSeconds,
            scores: f.scores,
          })),
          appeal: appealOf(appealRows.get(video.id)),
          decision: event
            ? {
                source: event.source,
                decision: event.decision,
                scores: JSON.parse(event.scores ?? 'null') as unknown,
                explanation: event.explanation,
                model: event.model,
                modelVersion: event.modelVersion,
                policyVersion: event.policyVersion,
                createdAt: event.createdAt,
              }
            : null,
        })
      }
      const last = page[page.length - 1]
      return c.json({
        videos: out,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ at: last.video.statusChangedAt, id: last.video.id })
            : null,
      })
    },
  )
  .post(
    '/videos/decisions',
    validate(
      'json',
      z
        .object({
          videoIds: z.array(z.string().max(64)).min(1).max(100),
          action: actions,
          reason,
          category,
        })
        .refine(categoryGoesWithReject.check, categoryGoesWithReject.message),
    ),
    async (c) => {
      const me = userOf(c)
      const db = c.var.db
      const { videoIds, action, reason: why, category: chosen } = c.req.valid('json')
      const change = VIDEO_ACTIONS[action]
      const rows = await db
        .select()
        .from(videos)
        .where(inArray(videos.id, [...new Set(videoIds)]))
      const results = []
      const now = Date.now()
      const restorable = await removedByModerators(
        db,
        'video',
        rows.filter((r) => r.status === 'removed').map((r) => r.id),
      )
      // A decision closes the subject's open reports (see reports/close.ts).
      const reported = await withOpenReports(
        db,
        'video',
        rows.map((r) => r.id),
      )
      for (const id of videoIds) {
        const video = rows.find((r) => r.id === id)
        if (!video) {
          results.push({ id, status: null, error: 'not_found' })
          continue
        }
        if (video.status === 'removed' && !restorable.has(id)) {
          results.push({
            id,
            status: video.status,
            error: `cannot ${action} a video its owner deleted`,
          })
          continue
        }
        if (!change.from.includes(video.status)) {
          results.push({
            id,
            status: video.status,
            error: `cannot ${action} a video that is ${video.status}`,
          })
          continue
        }
        await db.batch([
          db
            .update(videos)
            .set({
              status: change.to,
              statusReason:
                change.to === 'published'
                  ? null
                  : change.to === 'rejected'
                    ? `Rejected by a moderator: ${why}`
                    : `Back in review: ${why}`,
              publishedAt:
                change.to === 'published' ? (video.publishedAt ?? now) : video.publishedAt,
              statusChangedAt: now,
              updatedAt: now,
            })
            .where(eq(videos.id, id)),
          moderationEventInsert(db, {
            subjectType: 'video',
            subjectId: id,
            source: 'human',
            actorId: me.id,
            decision: change.to,
            explanation: why,
            category: chosen ?? null,
          }),
          ...(reported.has(id) && change.to !== 'in_review'
            ? closeOpenReports(db, {
                subjectType: 'video',
                subjectId: id,
                state: change.to === 'published' ? 'dismissed' : 'resolved',
                reason: why,
                moderatorId: me.id,
              })
            : []),
        ])
        if (change.to !== 'in_review') {
          await settleAppeal(
            db,
            'video',
            id,
            change.to === 'published' ? 'overturned' : 'upheld',
            why,
            me.id,
          )
        }
        results.push({ id, status: change.to })
      }
      return c.json({ results })
    },
  )
  .get(
    '/comments',
    validate(
      'query',
      queueQuery.extend({ status: z.enum(['held', 'rejected', 'appealed']).default('held') }),
    ),
    async (c) => {
      const db = c.var.db
      const { status, cursor, limit } = c.req.valid('query')
      const after = decodeCursor(cursor)
      const base = db
        .select({
          comment: comments,
          author: { id: users.id, username: users.username },
          video: { id: videos.id, title: videos.title },
        })
        .from(comments)
        .innerJoin(users, eq(users.id, comments.authorId))
        .innerJoin(videos, eq(videos.id, comments.videoId))
      const rows = await (
        status === 'appealed'
          ? base.innerJoin(appeals, pendingAppealOn('comment', comments.id))
          : base
      )
        .where(
          and(
            status === 'appealed' ? undefined : eq(comments.status, status),
            keyset(after, comments.createdAt, comments.id),
          ),
        )
        .orderBy(asc(comments.createdAt), asc(comments.id))
        .limit(limit + 1)
      const page = rows.slice(0, limit)
      const appealRows = await appealsFor(
        db,
        'comment',
        page.map((r) => r.comment.id),
      )
      const last = page[page.length - 1]
      return c.json({
        comments: page.map(({ comment, author, video }) => ({
          id: comment.id,
          body: comment.body,
          status: comment.status,
          reason: comment.reason,
          scores: JSON.parse(comment.scores ?? 'null') as Record<string, number> | null,
          modelVersion: comment.modelVersion,
          createdAt: comment.createdAt,
          author,
          video,
          appeal: appealOf(appealRows.get(comment.id)),
        })),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ at: last.comment.createdAt, id: last.comment.id })
            : null,
      })
    },
  )
  .post(
    '/comments/decisions',
    validate(
      'json',
      z
        .object({
          commentIds: z.array(z.string().max(64)).min(1).max(100),
          action: actions,
          reason,
          category,
        })
        .refine(categoryGoesWithReject.check, categoryGoesWithReject.message),
    ),
    async (c) => {
      const me = userOf(c)
      const db = c.var.db
      const { commentIds, action, reason: why, category: chosen } = c.req.valid('json')
      const change = COMMENT_ACTIONS[action]
      const rows = await db
        .select()
        .from(comments)
        .where(inArray(comments.id, [...new Set(commentIds)]))
      const results = []
      const touchedVideos = new Set<string>()
      const restorable = await removedByModerators(
        db,
        'comment',
        rows.filter((r) => r.status === 'removed').map((r) => r.id),
      )
      // A decision closes the subject's open reports (see reports/close.ts).
      const reported = await withOpenReports(
        db,
        'comment',
        rows.map((r) => r.id),
      )
      for (const id of commentIds) {
        const comment = rows.find((r) => r.id === id)
        if (!comment) {
          results.push({ id, status: null, error: 'not_found' })
          continue
        }
        if (comment.status === 'removed' && !restorable.has(id)) {
          results.push({
            id,
            status: comment.status,
            error: `cannot ${action} a comment its author deleted`,
          })
          continue
        }
        if (!(change.from as readonly string[]).includes(comment.status)) {
          results.push({
            id,
            status: comment.status,
            error: `cannot ${action} a comment that is ${comment.status}`,
          })
          continue
        }
        await db.batch([
          db
            .update(comments)
            .set({
              status: change.to,
              reason:
                change.to === 'published'
                  ? 'Approved by a moderator'
                  : `${change.to === 'rejected' ? 'Rejected' : 'Back in review'}: ${why}`,
              updatedAt: Date.now(),
            })
            .where(eq(comments.id, id)),
          moderationEventInsert(db, {
            subjectType: 'comment',
            subjectId: id,
            source: 'human',
            actorId: me.id,
            decision: change.to,
            explanation: why,
            category: chosen ?? null,
          }),
          ...(reported.has(id) && change.to !== 'held'
            ? closeOpenReports(db, {
                subjectType: 'comment',
                subjectId: id,
                state: change.to === 'published' ? 'dismissed' : 'resolved',
                reason: why,
                moderatorId: me.id,
              })
            : []),
        ])
        if (change.to !== 'held') {
          await settleAppeal(
            db,
            'comment',
            id,
            change.to === 'published' ? 'overturned' : 'upheld',
            why,
            me.id,
          )
        }
        touchedVideos.add(comment.videoId)
        results.push({ id, status: change.to })
      }
      for (const videoId of touchedVideos) await refreshCommentCount(db, videoId)
      return c.json({ results })
    },
  )
  // The answer to a creator's appeal: overturn publishes, uphold keeps it down; the reason
  // is shown to the creator.
  .post('/appeals/:id/decision', validate('json', appealAnswerInput), async (c) => {
    const appeal = await answerAppeal(
      c.var.db,
      userOf(c).id,
      c.req.param('id'),
      c.req.valid('json'),
    )
    return c.json({ appeal: appealOf(appeal) })
  })
