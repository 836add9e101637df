import { z } from 'zod'
import { deleteVideoMedia } from '../features/media/cleanup'
import { failVideo, startTranscode } from '../features/media/transcode'
import { sendVideoToReview } from '../features/moderation/review'
import { secondOpinionOnComment } from '../features/moderation/second-opinion'
import { moderateVideo } from '../features/moderation/video'
import { handleRecsDeadLetter, handleRecsMessage } from '../features/recommendations/jobs'

// Every queue message is zod-validated JSON with a `type`; each type has one
// handler in a typed table, and every handler is idempotent (a redelivered
// message changes nothing twice).
export const mediaMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delete-media'), videoId: z.string() }),
  z.object({ type: z.literal('transcode'), videoId: z.string(), jobId: z.string() }),
])
export const moderationMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('moderate-video'),
    videoId: z.string(),
    reason: z.string().optional(),
  }),
  z.object({ type: z.literal('comment-second-opinion'), commentId: z.string() }),
])

export type MediaMessage = z.infer<typeof mediaMessage>
export type ModerationMessage = z.infer<typeof moderationMessage>

type Handler = (body: unknown, env: Env, attempts: number) => Promise<void>

const handlers: Record<string, Handler> = {
  'clipstream-media': async (body, env) => {
    const msg = mediaMessage.parse(body)
    switch (msg.type) {
      case 'delete-media':
        return deleteVideoMedia(env, msg.videoId)
      case 'transcode':
        await startTranscode(env, msg.videoId, msg.jobId)
        return
    }
  },
  'clipstream-moderation': async (body, env) => {
    const msg = moderationMessage.parse(body)
    switch (msg.type) {
      case 'moderate-video':
        await moderateVideo(env, msg.videoId)
        return
      case 'comment-second-opinion':
        await secondOpinionOnComment(env, msg.commentId)
        return
    }
  },
  // Messages that exhausted their retries: make the outcome visible instead
  // of leaving a video stuck.
  'clipstream-moderation-dlq': async (body, env) => {
    const msg = moderationMessage.safeParse(body)
    if (msg.success && msg.data.type === 'moderate-video') {
      await sendVideoToReview(env, msg.data.videoId, 'Automatic moderation unavailable')
    }
  },
  'clipstream-media-dlq': async (body, env) => {
    const msg = mediaMessage.safeParse(body)
    console.error(JSON.stringify({ level: 'error', event: 'media-dead-letter', body }))
    if (msg.success && msg.data.type === 'transcode') {
      await failVideo(
        env,
        msg.data.videoId,
        'We could not process this video. Please try uploading it again.',
      )
    }
  },
  // Recommendation rebuild batches (schema: recsMessage in features/recommendations/rebuild).
  'clipstream-recs': handleRecsMessage,
  'clipstream-recs-dlq': handleRecsDeadLetter,
}

// Exponential backoff with jitter: 10 s, 20 s, 40 s ... capped at 10 minutes.
export function retryDelaySeconds(attempts: number): number {
  const base = Math.min(600, 10 * 2 ** Math.max(0, attempts - 1))
  return Math.round(base / 2 + Math.random() * (base / 2))
}

export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env) {
  const handler = handlers[batch.queue]
  for (const message of batch.messages) {
    if (!handler) {
      console.error(JSON.stringify({ level: 'error', event: 'unknown-queue', queue: batch.queue }))
      message.ack()
      continue
    }
    try {
      await handler(message.body, env, message.attempts)
      message.ack()
    } catch (err) {
      if (err instanceof z.ZodError) {
        // A malformed message will never succeed: log it and drop it.
        console.error(
          JSON.stringify({
            level: 'error',
            event: 'poison-message',
            queue: batch.queue,
            body: message.body,
          }),
        )
        message.ack()
        continue
      }
      console.error(
        JSON.stringify({ level: 'warn', event: 'retry', queue: batch.queue, error: String(err) }),
      )
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) })
    }
  }
}
