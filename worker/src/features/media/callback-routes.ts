import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../context'
import { videos } from '../../db/schema'
import { ApiError, notFound } from '../../lib/errors'
import { timingSafeEqual } from '../../lib/ids'
import { validate } from '../../lib/validate'
import { MAX_DURATION_SECONDS } from '../uploads/limits'
import { callbackToken, failVideo, retryOrFailTranscode } from './transcode'

const frameScores = z.record(z.string(), z.number()).nullable()
export const transcodeResult = z.object({
  probe: z.object({
    durationSeconds: z.number(),
    width: z.number().int(),
    height: z.number().int(),
    rotation: z.number().optional(),
    container: z.string().optional(),
    videoCodec: z.string().optional(),
    audioCodec: z.string().nullable().optional(),
    hasAudio: z.boolean().optional(),
  }),
  master: z.string(),
  renditions: z.array(
    z
      .object({ name: z.string(), width: z.number(), height: z.number(), bandwidth: z.number() })
      .loose(),
  ),
  poster: z.string(),
  sprite: z.object({ path: z.string() }).loose().nullable().optional(),
  frames: z.array(z.object({ path: z.string(), timeSeconds: z.number(), scores: frameScores })),
  frameClassifier: z.object({ name: z.string(), version: z.string() }).loose().nullable(),
  bytes: z.number().optional(),
  elapsedMs: z.number().optional(),
})
export type TranscodeResult = z.infer<typeof transcodeResult>

const callbackBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    jobId: z.string(),
    stage: z.string().optional(),
    percent: z.number().min(0).max(100),
  }),
  z.object({ type: z.literal('completed'), jobId: z.string(), result: transcodeResult }),
  z.object({
    type: z.literal('failed'),
    jobId: z.string(),
    code: z.string(),
    reason: z.string().max(500),
    retryable: z.boolean(),
  }),
])

const STAGE_WORDS: Record<string, string> = {
  downloading: 'Fetching your upload',
  probing: 'Checking the file',
  transcoding: 'Preparing playback versions',
  frames: 'Taking frames for moderation',
  classifying: 'Checking frames',
  uploading: 'Saving the results',
}

// The transcoder reports here. A bearer token bound to the video and job
// proves the report is about the job we started; reports about older jobs
// are acknowledged and ignored.
export const transcodeCallbackRoutes = new Hono<AppEnv>().post(
  '/transcode/:videoId',
  validate('json', callbackBody),
  async (c) => {
    const videoId = c.req.param('videoId')
    const body = c.req.valid('json')
    const given = new TextEncoder().encode(
      c.req.header('Authorization')?.replace(/^Bearer /, '') ?? '',
    )
    const expected = new TextEncoder().encode(await callbackToken(c.env, videoId, body.jobId))
    if (!timingSafeEqual(given, expected)) {
      throw new ApiError(401, 'bad_token', 'Not a transcoder report for this job')
    }
    const db = c.var.db
    const [video] = await db.select().from(videos).where(eq(videos.id, videoId))
    if (!video) throw notFound('Video')
    if (body.type === 'completed' && video.status === 'moderating' && video.jobId === body.jobId) {
      // The transcoder repeats a final report it got no answer to. The first one may have moved
      // the video on and then been cut off before its moderation job was queued (seen under load
      // as a 503 from a busy isolate), which would leave the video "moderating" for good. Queue it
      // again: moderation decides a video once, so a second job changes nothing.
      console.warn(JSON.stringify({ level: 'warn', event: 'moderation-requeued', videoId }))
      await c.env.MODERATION_QUEUE.send({ type: 'moderate-video', videoId })
      return c.json({ ok: true })
    }
    if (video.status !== 'processing' || video.jobId !== body.jobId) {
      return c.json({ ignored: true })
    }
    const current = and(
      eq(videos.id, videoId),
      eq(videos.jobId, body.jobId),
      eq(videos.status, 'processing'),
    )
    const now = Date.now()
    if (body.type === 'progress') {
      await db
        .update(videos)
        .set({
          progress: Math.min(99, Math.round(body.percent)),
          statusReason: STAGE_WORDS[body.stage ?? ''] ?? 'Processing',
          updatedAt: now,
        })
        .where(current)
      return c.json({ ok: true })
    }
    if (body.type === 'failed') {
      if (body.retryable) await retryOrFailTranscode(c.env, videoId, body.reason)
      else await failVideo(c.env, videoId, body.reason)
      return c.json({ ok: true })
    }
    const { probe } = body.result
    if (probe.durationSeconds > MAX_DURATION_SECONDS + 0.5) {
      await failVideo(
        c.env,
        videoId,
        `Videos can be at most ${MAX_DURATION_SECONDS} seconds long; this one is ${Math.round(probe.durationSeconds)} s.`,
      )
      return c.json({ ok: true })
    }
    const moved = await db
      .update(videos)
      .set({
        status: 'moderating',
        statusReason: 'Checking your video',
        progress: 100,
        durationSeconds: probe.durationSeconds,
        width: probe.width,
        height: probe.height,
        media: JSON.stringify(body.result),
        statusChangedAt: now,
        updatedAt: now,
      })
      .where(current)
      .returning({ id: videos.id })
    if (moved.length) {
      await c.env.MODERATION_QUEUE.send({ type: 'moderate-video', videoId })
    }
    return c.json({ ok: true })
  },
)
