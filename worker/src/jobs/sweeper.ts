import { and, eq, lt } from 'drizzle-orm'
import { createDb } from '../db/client'
import { videos } from '../db/schema'
import { enqueueTranscode, failVideo, MAX_TRANSCODE_ATTEMPTS } from '../features/media/transcode'

// A video waiting for moderation longer than this has lost its message.
export const MODERATION_TIMEOUT_MS = 15 * 60 * 1000
// The transcoder reports progress every few seconds; silence longer than
// TRANSCODE_SILENCE_SECONDS means the job died (a killed or restarted transcoder).
const transcodeSilenceMs = (env: Env) => Number(env.TRANSCODE_SILENCE_SECONDS || 300) * 1000
// Uploads nobody finished within a day are given up.
export const UPLOAD_ABANDONED_MS = 24 * 60 * 60 * 1000

// Finds videos stuck mid-pipeline and queues their job again. Jobs are
// idempotent, so a duplicate is harmless.
export async function sweepStuckVideos(env: Env) {
  const db = createDb(env.DB)
  const now = Date.now()
  const stuckModeration = await db
    .select({ id: videos.id })
    .from(videos)
    .where(
      and(eq(videos.status, 'moderating'), lt(videos.statusChangedAt, now - MODERATION_TIMEOUT_MS)),
    )
    .limit(100)
  for (const video of stuckModeration) {
    await env.MODERATION_QUEUE.send({ type: 'moderate-video', videoId: video.id, reason: 'swept' })
  }

  const silent = await db
    .select({ id: videos.id, jobId: videos.jobId, attempts: videos.jobAttempts })
    .from(videos)
    .where(
      and(eq(videos.status, 'processing'), lt(videos.updatedAt, now - transcodeSilenceMs(env))),
    )
    .limit(100)
  let requeuedTranscodes = 0
  let failedTranscodes = 0
  for (const video of silent) {
    if (!video.jobId || video.attempts >= MAX_TRANSCODE_ATTEMPTS) {
      await failVideo(
        env,
        video.id,
        'Processing this video kept failing. Please try uploading it again.',
      )
      failedTranscodes++
    } else {
      // Touch it so the next sweep waits a full silence period again.
      await db.update(videos).set({ updatedAt: now }).where(eq(videos.id, video.id))
      await enqueueTranscode(env, video.id, video.jobId)
      requeuedTranscodes++
    }
  }

  const abandoned = await db
    .select({ id: videos.id })
    .from(videos)
    .where(and(eq(videos.status, 'uploading'), lt(videos.updatedAt, now - UPLOAD_ABANDONED_MS)))
    .limit(100)
  for (const video of abandoned) {
    await failVideo(env, video.id, 'The upload was never finished.')
  }
  return {
    requeuedModeration: stuckModeration.length,
    requeuedTranscodes,
    failedTranscodes,
    abandonedUploads: abandoned.length,
  }
}
