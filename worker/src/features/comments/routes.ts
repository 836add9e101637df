import { ownImageUrl } from '../profile-images/images'
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppEnv, SessionUser } from '../../context'
import type { Db } from '../../db/client'
import { comments, users, videos } from '../../db/schema'
import { decodeCursor, encodeCursor, pageQuery } from '../../lib/cursor'
import { ApiError, forbidden, notFound } from '../../lib/errors'
import { newId } from '../../lib/ids'
import { validate } from '../../lib/validate'
import { isModerator, requireUser, userOf } from '../auth/middleware'
import { appealsFor, presentAppeal, type AppealRow } from '../appeals/service'
import { reasonForAuthor } from '../moderation/author-notice'
import { moderationEventInsert } from '../moderation/events'
import { loadLiveVideo, loadVisibleVideo } from '../videos/access'
import { recordFeedEvent } from '../recommendations/events'
import { refreshCommentCount } from './count'
import { commentNotHiddenFrom, commentsWithheldFrom } from '../users/hidden'
import { moderateComment } from './moderate'
import { commentInput } from './schema'

const commentColumns = {
  id: comments.id,
  videoId: comments.videoId,
  parentId: comments.parentId,
  body: comments.body,
  status: comments.status,
  reason: comments.reason,
  hiddenAt: comments.hiddenAt,
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

// `curator`: the viewer is the clip's creator or a moderator, who see (and may undo) what the
// creator hid. The author of a hidden comment sees it as before, like on other platforms.
function presentComment(
  row: CommentRow,
  viewerId: string | null,
  curator = false,
  appeal?: AppealRow,
) {
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
      avatarUrl: ownImageUrl(row.authorAvatarUrl),
    },
    // Only the author learns that their comment is held or rejected, and why.
    status: own ? row.status : undefined,
    reason: own ? reasonForAuthor(row.reason) : undefined,
    // Optional keys, absent for everyone else.
    ...(curator ? { hidden: row.hiddenAt !== null } : {}),
    ...(own && appeal ? { appeal: presentAppeal(appeal) } : {}),
  }
}

// Published comments of authors in good standing that the clip's creator did not hide (the
// creator and moderators see hidden ones too), plus the viewer's own (held or rejected ones
// included, so they can see what happened). Comments of authors the viewer blocked, and
// comments they reported, are left out for them (the clip's creator too: a block is the
// blocker's own choice), in the same query.
function visibleComments(viewerId: string | null, curator: boolean) {
  const published = and(
    eq(comments.status, 'published'),
    eq(users.banned, false),
    curator ? undefined : isNull(comments.hiddenAt),
    viewerId ? commentNotHiddenFrom(viewerId) : undefined,
  )
  return viewerId
    ? or(published, and(eq(comments.authorId, viewerId), sql`${comments.status} != 'removed'`))
    : published
}

export const commentRoutes = new Hono<AppEnv>()
  .get('/videos/:id/comments', validate('query', pageQuery), async (c) => {
    const db = c.var.db
    const viewerId = c.var.user?.id ?? null
    const video = await loadVisibleVideo(db, c.req.param('id'), c.var.user)
    const curator = isCurator(c.var.user, video.creatorId)
    const { cursor, limit } = c.req.valid('query')
    const after = decodeCursor(cursor)
    const [rows, withheld] = await Promise.all([
      selectComments(db)
        .where(
          and(
            eq(comments.videoId, video.id),
            sql`${comments.parentId} is null`,
            visibleComments(viewerId, curator),
            after
              ? or(
                  lt(comments.createdAt, after.at),
                  and(eq(comments.createdAt, after.at), lt(comments.id, after.id)),
                )
              : undefined,
          ),
        )
        .orderBy(desc(comments.createdAt), desc(comments.id))
        .limit(limit + 1),
      // Once per list (its first page), beside the rows: see commentsWithheldFrom.
      viewerId && !after ? commentsWithheldFrom(db, viewerId, video.id) : Promise.resolve(0),
    ])
    const page = rows.slice(0, limit)
    const replies = page.length
      ? await selectComments(db)
          .where(
            and(
              inArray(
                comments.parentId,
                page.map((r) => r.id),
              ),
              visibleComments(viewerId, curator),
            ),
          )
          .orderBy(comments.createdAt, comments.id)
      : []
    // Appeals only for the viewer's own comments that were held or rejected.
    const appeals = await appealsFor(
      db,
      'comment',
      [...page, ...replies]
        .filter((r) => r.authorId === viewerId && r.status !== 'published')
        .map((r) => r.id),
    )
    const present = (r: CommentRow) => presentComment(r, viewerId, curator, appeals.get(r.id))
    const last = page[page.length - 1]
    return c.json({
      comments: page.map((row) => ({
        ...present(row),
        replies: replies.filter((r) => r.parentId === row.id).map(present),
      })),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
      // Counted comments this viewer's list leaves out (blocked, reported); 0 after page 1.
      withheld,
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
    const { comment, creatorId } = await loadComment(db, c.req.param('id'), me)
    const own = comment.authorId === me.id
    const onMyClip = creatorId === me.id
    if (!own && !onMyClip && !isModerator(me)) {
      throw forbidden('You can delete your own comments and comments on your clips')
    }
    await db
      .update(comments)
      .set({
        status: 'removed',
        // Why it is gone, for the record; nobody can restore what its author or the clip's
        // creator deleted (moderators restore only their own removals).
        reason: own ? comment.reason : onMyClip ? 'Deleted by the clip’s creator' : comment.reason,
        updatedAt: Date.now(),
      })
      .where(eq(comments.id, comment.id))
    if (!own && !onMyClip) {
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
  // The clip's creator hides a comment from everyone but its author (and moderators), or
  // shows it again. Only the creator: moderators have their own decisions.
  .post('/comments/:id/hide', requireUser, async (c) => {
    const hidden = await setHidden(c.var.db, c.req.param('id'), userOf(c), true)
    return c.json({ hidden })
  })
  .delete('/comments/:id/hide', requireUser, async (c) => {
    const hidden = await setHidden(c.var.db, c.req.param('id'), userOf(c), false)
    return c.json({ hidden })
  })

function isCurator(viewer: SessionUser | null, creatorId: string) {
  return !!viewer && (viewer.id === creatorId || isModerator(viewer))
}

// A comment this caller may know about, with its clip's creator. Others' held comments,
// removed ones and comments on clips the caller cannot see answer 404.
async function loadComment(db: Db, id: string, me: SessionUser) {
  const [row] = await db
    .select({ comment: comments, creatorId: videos.creatorId })
    .from(comments)
    .innerJoin(videos, eq(videos.id, comments.videoId))
    .where(eq(comments.id, id))
  if (!row || row.comment.status === 'removed') throw notFound('Comment')
  const { comment, creatorId } = row
  const mayKnow =
    comment.authorId === me.id ||
    isModerator(me) ||
    (comment.status === 'published' && (creatorId === me.id || comment.hiddenAt === null))
  if (!mayKnow) throw notFound('Comment')
  return row
}

async function setHidden(db: Db, id: string, me: SessionUser, hide: boolean) {
  const { comment, creatorId } = await loadComment(db, id, me)
  if (creatorId !== me.id) throw forbidden('Only the clip’s creator can hide its comments')
  if (comment.authorId === me.id) {
    throw new ApiError(400, 'own_comment', 'This is your own comment: delete it instead')
  }
  if (comment.status !== 'published') {
    throw new ApiError(409, 'not_published', 'Only published comments can be hidden')
  }
  if (hide !== (comment.hiddenAt !== null)) {
    await db
      .update(comments)
      .set({ hiddenAt: hide ? Date.now() : null, updatedAt: Date.now() })
      .where(eq(comments.id, comment.id))
    await refreshCommentCount(db, comment.videoId)
  }
  return hide
}
