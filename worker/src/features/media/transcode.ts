import { and, eq, inArray } from 'drizzle-orm'
import { createDb } from '../../db/client'
import { videos } from '../../db/schema'
import { newId } from '../../lib/ids'
import { MAX_DURATION_SECONDS } from '../uploads/limits'
import { inSeconds, requireSecret, sign, signedQuery } from './signing'

// How often a video's transcode may be attempted before it ends `failed`.
export const MAX_TRANSCODE_ATTEMPTS = 4
// Signed URLs given to the transcoder outlive the longest job.
const JOB_URL_TTL_SECONDS = 3 * 60 * 60

export async function enqueueTranscode(env: Env, videoId: string, jobId: string, delaySeconds = 0) {
  await env.MEDIA_QUEUE.send({ type: 'transcode', videoId, jobId }, { delaySeconds })
}

export const callbackToken = (env: Env, videoId: string, jobId: string) =>
  sign(requireSecret(env), {
    method: 'PUT',
    resource: `callback/${videoId}/${jobId}`,
    expiresAt: 0,
  })

// Local dev and tests reach the transcoder over HTTP; production goes through
// the Container-backed Durable Object. Same request either way.
async function transcoderFetch(env: Env, path: string, init: RequestInit): Promise<Response> {
  if (env.TRANSCODER_URL) return fetch(`${env.TRANSCODER_URL}${path}`, init)
  const stub = env.TRANSCODER.get(env.TRANSCODER.idFromName('transcoder'))
  return stub.fetch(new Request(`http://transcoder${path}`, init))
}

// Hands one job to the transcoder. Stale messages (the video moved on, or a
// newer job replaced this one) change nothing.
export async function startTranscode(env: Env, videoId: string, jobId: string) {
  const db = createDb(env.DB)
  const [video] = await db.select().from(videos).where(eq(videos.id, videoId))
  if (!video || video.status !== 'processing' || video.jobId !== jobId) return 'stale'
  await db
    .update(videos)
    .set({ jobAttempts: video.jobAttempts + 1, updatedAt: Date.now() })
    .where(eq(videos.id, videoId))
  const secret = requireSecret(env)
  const expiresAt = inSeconds(JOB_URL_TTL_SECONDS)
  const source = await signedQuery(secret, {
    method: 'GET',
    resource: `source/${videoId}`,
    expiresAt,
  })
  const output = await signedQuery(secret, {
    method: 'PUT',
    resource: `output/${videoId}/`,
    expiresAt,
    prefix: true,
  })
  const res = await transcoderFetch(env, '/jobs', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(env.TRANSCODER_TOKEN ? { Authorization: `Bearer ${env.TRANSCODER_TOKEN}` } : {}),
    },
    body: JSON.stringify({
      jobId,
      videoId,
      sourceUrl: `${env.PUBLIC_URL}/signed/source/${videoId}?${source}`,
      outputUrl: `${env.PUBLIC_URL}/signed/output/${videoId}/{path}?${output}`,
      callbackUrl: `${env.PUBLIC_URL}/api/internal/transcode/${videoId}`,
      callbackToken: await callbackToken(env, videoId, jobId),
      limits: { maxDurationSeconds: MAX_DURATION_SECONDS },
    }),
  })
  if (!res.ok) throw new Error(`transcoder answered ${res.status}: ${await res.text()}`)
  return 'started'
}

// Puts a video back in line with a fresh job id (a failed job id stays failed
// in the transcoder), or fails it for good after the last attempt.
export async function retryOrFailTranscode(env: Env, videoId: string, reason: string) {
  const db = createDb(env.DB)
  const [video] = await db.select().from(videos).where(eq(videos.id, videoId))
  if (!video || video.status !== 'processing') return 'stale'
  const now = Date.now()
  if (video.jobAttempts >= MAX_TRANSCODE_ATTEMPTS) {
    await failVideo(env, videoId, reason)
    return 'failed'
  }
  const jobId = newId()
  await db.update(videos).set({ jobId, updatedAt: now }).where(eq(videos.id, videoId))
  await enqueueTranscode(env, videoId, jobId, Math.min(300, 15 * 2 ** video.jobAttempts))
  return 'retried'
}

// A video that cannot be processed ends `failed` with the reason, and none of
// its bytes are kept.
export async function failVideo(env: Env, videoId: string, reason: string) {
  const db = createDb(env.DB)
  const now = Date.now()
  const moved = await db
    .update(videos)
    .set({ status: 'failed', statusReason: reason, statusChangedAt: now, updatedAt: now })
    .where(and(eq(videos.id, videoId), inArray(videos.status, ['uploading', 'processing'])))
    .returning({ id: videos.id })
  if (moved.length) await env.MEDIA_QUEUE.send({ type: 'delete-media', videoId })
}
