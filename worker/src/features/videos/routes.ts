import { and, eq, inArray, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import {
  categories,
  likes,
  userBlocks,
  videoCategories,
  videoTags,
  videos,
  watches,
} from '../../db/schema'
import { ApiError, forbidden } from '../../lib/errors'
import { validate } from '../../lib/validate'
import { isModerator, requireUser, userOf } from '../auth/middleware'
import { recordModerationEvent } from '../moderation/events'
import { recordFeedEvent } from '../recommendations/events'
import { loadLiveVideo, loadVisibleVideo } from './access'
import { presentVideos, selectVideoCards } from './present'
import { videoEditInput, watchInput } from './schema'

// A view counts when the viewer watched 30% of the clip or 3 seconds of it.
export const VIEW_FRACTION = 0.3
export const VIEW_SECONDS = 3

export const videoRoutes = new Hono<AppEnv>()
  // A clip stays reachable by its link after its creator was blocked: `blockedCreator` tells
  // the page so, which then says the viewer blocked them and offers Unblock, after a reload
  // as in the visit that blocked. Read beside the card, not after it.
  .get('/:id', async (c) => {
    const db = c.var.db
    const viewer = c.var.user
    const video = await loadVisibleVideo(db, c.req.param('id'), viewer)
    const [rows, blocks] = await Promise.all([
      selectVideoCards(db).where(eq(videos.id, video.id)),
      viewer && viewer.id !== video.creatorId
        ? db
            .select({ id: userBlocks.blockedId })
            .from(userBlocks)
            .where(
              and(eq(userBlocks.blockerId, viewer.id), eq(userBlocks.blockedId, video.creatorId)),
            )
        : Promise.resolve([]),
    ])
    const [card] = await presentVideos(db, rows, viewer?.id ?? null)
    return c.json({ video: card, blockedCreator: blocks.length > 0 })
  })
  // Playback URLs. Media of a video that is not public is served only with
  // the owner's or a moderator's session (see media/playback-routes.ts).
  .get('/:id/playback', async (c) => {
    const video = await loadVisibleVideo(c.var.db, c.req.param('id'), c.var.user)
    if (!video.media) throw new ApiError(409, 'not_ready', 'This video has no playable media yet')
    const base = `/media/videos/${video.id}`
    return c.json({ playlistUrl: `${base}/hls/master.m3u8`, posterUrl: `${base}/poster.jpg` })
  })
  .patch('/:id', requireUser, validate('json', videoEditInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const video = await loadVisibleVideo(db, c.req.param('id'), me)
    if (video.creatorId !== me.id) throw forbidden('Only the creator can edit this video')
    if (video.status === 'removed') throw new ApiError(409, 'removed', 'This video was removed')
    const input = c.req.valid('json')
    if (input.categories?.length) {
      const known = await db
        .select({ id: categories.id })
        .from(categories)
        .where(inArray(categories.id, input.categories))
      if (known.length !== new Set(input.categories).size) {
        throw new ApiError(400, 'invalid_input', 'categories: unknown category')
      }
    }
    // New words on a live video are unmoderated words: hide it again until
    // moderation has read them (fail closed).
    const textChanged =
      (input.title !== undefined && input.title !== video.title) ||
      (input.description !== undefined && input.description !== video.description) ||
      input.tags !== undefined
    const remoderate = textChanged && (video.status === 'published' || video.status === 'in_review')
    const now = Date.now()
    await db.batch([
      db
        .update(videos)
        .set({
          title: input.title,
          description: input.description,
          visibility: input.visibility,
          updatedAt: now,
          ...(remoderate
            ? {
                status: 'moderating' as const,
                statusReason: 'Checking your edits',
                statusChangedAt: now,
              }
            : {}),
        })
        .where(eq(videos.id, video.id)),
      ...(input.categories
        ? [
            db.delete(videoCategories).where(eq(videoCategories.videoId, video.id)),
            ...[...new Set(input.categories)].map((categoryId) =>
              db.insert(videoCategories).values({ videoId: video.id, categoryId }),
            ),
          ]
        : []),
      ...(input.tags
        ? [
            db.delete(videoTags).where(eq(videoTags.videoId, video.id)),
            ...[...new Set(input.tags)].map((tag) =>
              db.insert(videoTags).values({ videoId: video.id, tag }),
            ),
          ]
        : []),
    ])
    if (remoderate) {
      await c.env.MODERATION_QUEUE.send({
        type: 'moderate-video',
        videoId: video.id,
        reason: 'edited',
      })
    }
    const rows = await selectVideoCards(db).where(eq(videos.id, video.id))
    const [card] = await presentVideos(db, rows, me.id)
    return c.json({ video: card })
  })
  .delete('/:id', requireUser, async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const video = await loadVisibleVideo(db, c.req.param('id'), me)
    const byModerator = video.creatorId !== me.id
    if (byModerator && !isModerator(me)) throw forbidden('Only the creator can delete this video')
    if (video.status !== 'removed') {
      const now = Date.now()
      await db
        .update(videos)
        .set({
          status: 'removed',
          statusReason: byModerator ? 'Removed by a moderator' : 'Deleted by its creator',
          statusChangedAt: now,
          updatedAt: now,
        })
        .where(eq(videos.id, video.id))
      if (byModerator) {
        await recordModerationEvent(db, {
          subjectType: 'video',
          subjectId: video.id,
          source: 'human',
          actorId: me.id,
          decision: 'removed',
          explanation: 'Removed by a moderator',
        })
      }
      await c.env.MEDIA_QUEUE.send({ type: 'delete-media', videoId: video.id })
    }
    return c.json({ ok: true })
  })
  .post('/:id/like', requireUser, async (c) => {
    const me = userOf(c)
    const video = await loadLiveVideo(c.var.db, c.req.param('id'), me)
    await c.var.db.insert(likes).values({ userId: me.id, videoId: video.id }).onConflictDoNothing()
    await recordFeedEvent(c.env, me.id, { kind: 'like', videoId: video.id })
    return c.json({ liked: true, likeCount: await likeCount(c.var.db, video.id) })
  })
  .delete('/:id/like', requireUser, async (c) => {
    const me = userOf(c)
    const video = await loadLiveVideo(c.var.db, c.req.param('id'), me)
    await c.var.db.delete(likes).where(and(eq(likes.userId, me.id), eq(likes.videoId, video.id)))
    return c.json({ liked: false, likeCount: await likeCount(c.var.db, video.id) })
  })
  .post('/:id/watch', requireUser, validate('json', watchInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const video = await loadLiveVideo(db, c.req.param('id'), me)
    const { fraction, seconds } = c.req.valid('json')
    const now = Date.now()
    // Upsert, then flip `counted` once; both in one transaction. The trigger
    // on that flip bumps view_count, so a view counts once however often
    // progress is reported.
    const [, counted] = await db.batch([
      db
        .insert(watches)
        .values({
          userId: me.id,
          videoId: video.id,
          watchFraction: fraction,
          watchedSeconds: seconds,
        })
        .onConflictDoUpdate({
          target: [watches.userId, watches.videoId],
          set: {
            watchFraction: sql`max(${watches.watchFraction}, excluded.watch_fraction)`,
            watchedSeconds: sql`${watches.watchedSeconds} + excluded.watched_seconds`,
            updatedAt: now,
          },
        }),
      db
        .update(watches)
        .set({ counted: true })
        .where(
          and(
            eq(watches.userId, me.id),
            eq(watches.videoId, video.id),
            eq(watches.counted, false),
            sql`(${watches.watchFraction} >= ${VIEW_FRACTION} or ${watches.watchedSeconds} >= ${VIEW_SECONDS})`,
          ),
        )
        .returning({ videoId: watches.videoId }),
    ])
    await recordFeedEvent(c.env, me.id, { kind: 'watch', videoId: video.id, fraction })
    return c.json({ viewCounted: counted.length > 0 })
  })

async function likeCount(db: AppEnv['Variables']['db'], videoId: string) {
  const [row] = await db.select({ n: videos.likeCount }).from(videos).where(eq(videos.id, videoId))
  return row?.n ?? 0
}
