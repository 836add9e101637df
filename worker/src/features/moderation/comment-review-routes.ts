import { and, asc, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../context'
import { appeals, comments, users, videos } from '../../db/schema'
import { decodeCursor, encodeCursor } from '../../lib/cursor'
import { validate } from '../../lib/validate'
import { appealsFor } from '../appeals/service'
import { userOf } from '../auth/middleware'
import { refreshCommentCount } from '../comments/count'
import {
  actions,
  appealOf,
  applyDecisions,
  category,
  categoryGoesWithReject,
  keyset,
  pendingAppealOn,
  queueQuery,
  reason,
} from './review-queue'

// The comment review queue (held, rejected, appealed) and moderators' decisions on comments,
// behind the moderator check in review-routes.ts.

const COMMENT_ACTIONS = {
  approve: { from: ['held', 'rejected'], to: 'published' },
  reject: { from: ['held', 'published'], to: 'rejected' },
  restore: { from: ['rejected', 'removed'], to: 'held' },
} as const

export const commentReviewRoutes = new Hono<AppEnv>()
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
      const db = c.var.db
      const { commentIds, action, reason: why, category: chosen } = c.req.valid('json')
      const change = COMMENT_ACTIONS[action]
      const rows = await db
        .select()
        .from(comments)
        .where(inArray(comments.id, [...new Set(commentIds)]))
      const { results, decided } = await applyDecisions(
        db,
        commentIds,
        { action, why, category: chosen, moderatorId: userOf(c).id },
        {
          subjectType: 'comment',
          deleter: 'author',
          change,
          inReview: 'held',
          rows,
          statusChange: (comment) =>
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
              .where(eq(comments.id, comment.id)),
        },
      )
      // Each clip's comment count follows what is now visible.
      const touchedVideos = new Set(decided.map((comment) => comment.videoId))
      for (const videoId of touchedVideos) await refreshCommentCount(db, videoId)
      return c.json({ results })
    },
  )
