import { and, eq, lt } from 'drizzle-orm'
import { createDb } from '../db/client'
import { videos } from '../db/schema'

// A video waiting for moderation longer than this has lost its message.
export const MODERATION_TIMEOUT_MS = 15 * 60 * 1000

// Finds videos stuck mid-pipeline and queues their job again. Jobs are
// idempotent, so a duplicate is harmless.
export async function sweepStuckVideos(env: Env) {
  const db = createDb(env.DB)
  const stuck = await db
    .select({ id: videos.id })
    .from(videos)
    .where(
      and(
        eq(videos.status, 'moderating'),
        lt(videos.statusChangedAt, Date.now() - MODERATION_TIMEOUT_MS),
      ),
    )
    .limit(100)
  for (const video of stuck) {
    await env.MODERATION_QUEUE.send({ type: 'moderate-video', videoId: video.id, reason: 'swept' })
  }
  return { requeuedModeration: stuck.length }
}
