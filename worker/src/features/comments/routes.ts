import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import type { Db } from '../../db/client'
import { comments, users, videos } from '../../db/schema'
import { decodeCursor, encodeCursor, pageQuery } from '../../lib/cursor'
import { ApiError, forbidden, notFound } from '../../lib/errors'
import { newId } from '../../lib/ids'
import { validate } from '../../lib/validate'
import { isModerator, requireUser, userOf } from '../auth/middleware'
import { reasonForAuthor } from '../moderation/author-notice'
import { moderationEventInsert } from '../moderation/events'
import { loadLiveVideo, loadVisibleVideo } from '../videos/access'
import { recordFeedEvent } from '../recommendations/events'
import { moderateComment } from './moderate'
import { commentInput } from './schema'

const commentColumns = {
  id: comments.id,
  videoId: comments.videoId,
  parentId: comments.parentId,
  body: comments.body,
  status: comments.status,
  reason: comments.reason,
  createdAt: comments.createdAt,
  authorId: users.id,
  authorUsername: users.username,
  authorDisplayName: users.displayName,
  authorAvatarUrl: users.avatarUrl,
}
type CommentRow = Awaited<ReturnType<typeof selectComments>>[number]

function selectComments(db: Db) {
  return db.select(commentColumns).from(comments).innerJoin(users, eq(users.id, comments.authorId))
}

function presentComment(row: CommentRow, viewerId: string | null) {
  const own = row.authorId === viewerId
  return {
    id: row.id,
    videoId: row.videoId,
    parentId: row.parentId,
    body: row.body,
    createdAt: row.createdAt,
    author: {
      id: row.authorId,
      username: row.authorUsername,
      displayName: row.authorDisplayName,
      avatarUrl: row.authorAvatarUrl,
    },
    // Only the author learns that their comment is held or rejected, and why.
    status: own ? row.status : undefined,
    reason: own ? reasonForAuthor(row.reason) : undefined,
  }
}

// Published comments of authors in good standing, plus the viewer's own
// (held or rejected ones included, so they can see what happened).
function visibleComments(viewerId: string | null) {
  const published = and(eq(comments.status, 'published'), eq(users.banned, false))
  return viewerId
    ? or(published, and(eq(comments.authorId, viewerId), sql`${comments.status} != 'removed'`))
    : published
}

export async function refreshCommentCount(db: Db, videoId: string) {
  await db
    .update(videos)
    .set({
      commentCount: sql`(select count(*) from ${comments} where ${comments.videoId} = ${videoId} and ${comments.status} = 'published')`,
    })
    .where(eq(videos.id, videoId))
}

export const commentRoutes = new Hono<AppEnv>()
  .get('/videos/:id/comments', validate('query', pageQuery), async (c) => {
    const db = c.var.db
    const viewerId = c.var.user?.id ?? null
    const video = await loadVisibleVideo(db, c.req.param('id'), c.var.user)
    const { cursor, limit } = c.req.valid('query')
    const after = decodeCursor(cursor)
    const rows = await selectComments(db)
      .where(
        and(
          eq(comments.videoId, video.id),
          sql`${comments.parentId} is null`,
          visibleComments(viewerId),
          after
            ? or(
                lt(comments.createdAt, after.at),
                and(eq(comments.createdAt, after.at), lt(comments.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(comments.createdAt), desc(comments.id))
      .limit(limit + 1)
    const page = rows.slice(0, limit)
    const replies = page.length
      ? await selectComments(db)
          .where(
            and(
              inArray(
                comments.parentId,
                page.map((r) => r.id),
              ),
              visibleComments(viewerId),
            ),
          )
          .orderBy(comments.createdAt, comments.id)
      : []
    const last = page[page.length - 1]
    return c.json({
      comments: page.map((row) => ({
        ...presentComment(row, viewerId),
        replies: replies
          .filter((r) => r.parentId === row.id)
          .map((r) => presentComment(r, viewerId)),
      })),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    })
  })
  .post('/videos/:id/comments', requireUser, validate('json', commentInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const video = await loadLiveVideo(db, c.req.param('id'), me)
    const { body, parentId } = c.req.valid('json')
    if (parentId) {
      const [parent] = await db
        .select({ videoId: comments.videoId, parentId: comments.parentId, status: comments.status })
        .from(comments)
        .where(eq(comments.id, parentId))
      if (!parent || parent.videoId !== video.id || parent.status !== 'published') {
        throw notFound('Comment to reply to')
      }
      if (parent.parentId) {
        throw new ApiError(
          400,
          'reply_depth',
          'Replies go one level deep: reply to the first comment',
        )
      }
    }
    const verdict = await moderateComment(c.env, db, body)
    const id = newId()
    await db.batch([
      db.insert(comments).values({
        id,
        videoId: video.id,
        authorId: me.id,
        parentId: parentId ?? null,
        body,
        status: verdict.status,
        scores: verdict.scores ? JSON.stringify(verdict.scores) : null,
        reason: verdict.reason,
        modelVersion: verdict.modelVersion,
      }),
      moderationEventInsert(db, {
        subjectType: 'comment',
        subjectId: id,
        source: 'machine',
        decision: verdict.status,
        scores: verdict.scores ? JSON.stringify(verdict.scores) : null,
        explanation: verdict.explanation,
        model: verdict.model,
        modelVersion: verdict.modelVersion,
        policyVersion: verdict.policyVersion,
      }),
    ])
    if (verdict.status === 'published') await refreshCommentCount(db, video.id)
    await recordFeedEvent(c.env, me.id, { kind: 'comment', videoId: video.id })
    if (verdict.borderline) {
      await c.env.MODERATION_QUEUE.send({ type: 'comment-second-opinion', commentId: id })
    }
    const [row] = await selectComments(db).where(eq(comments.id, id))
    if (!row) throw notFound('Comment')
    return c.json(
      {
        comment: presentComment(row, me.id),
        // Words only: scores would let an abuser tune a text to slip under a threshold.
        moderation: { status: verdict.status, reason: verdict.reason },
      },
      201,
    )
  })
  .delete('/comments/:id', requireUser, async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const [comment] = await db
      .select()
      .from(comments)
      .where(eq(comments.id, c.req.param('id')))
    if (!comment || comment.status === 'removed') throw notFound('Comment')
    const own = comment.authorId === me.id
    if (!own && !isModerator(me)) {
      // Others' held comments do not exist for this viewer.
      if (comment.status !== 'published') throw notFound('Comment')
      throw forbidden('You can only delete your own comments')
    }
    await db
      .update(comments)
      .set({ status: 'removed', updatedAt: Date.now() })
      .where(eq(comments.id, comment.id))
    if (!own) {
      await moderationEventInsert(db, {
        subjectType: 'comment',
        subjectId: comment.id,
        source: 'human',
        actorId: me.id,
        decision: 'removed',
        explanation: 'Removed by a moderator',
      })
    }
    if (comment.status === 'published') await refreshCommentCount(db, comment.videoId)
    return c.json({ ok: true })
  })
