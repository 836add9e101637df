import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import worker from '../index'
import { db, makeUser, makeVideo } from '../../test/helpers'
import { moderationEvents, videos } from '../db/schema'
import { retryDelaySeconds } from './queue'
import { sweepStuckVideos, MODERATION_TIMEOUT_MS } from './sweeper'

async function deliver(queue: string, body: unknown) {
  const batch = createMessageBatch(queue, [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body },
  ])
  const ctx = createExecutionContext()
  await worker.queue(batch, env)
  return getQueueResult(batch, ctx)
}

describe('queue consumers', () => {
  it('delete-media removes every object of the video and is idempotent', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id, { status: 'removed' })
    for (const key of [
      `videos/${id}/poster.jpg`,
      `videos/${id}/hls/master.m3u8`,
      `uploads/${id}/source`,
    ]) {
      await env.MEDIA.put(key, 'x')
    }
    await env.MEDIA.put('videos/other/poster.jpg', 'keep')
    const first = await deliver('clipstream-media', { type: 'delete-media', videoId: id })
    expect(first.explicitAcks).toHaveLength(1)
    expect((await env.MEDIA.list({ prefix: `videos/${id}/` })).objects).toHaveLength(0)
    expect((await env.MEDIA.list({ prefix: `uploads/${id}/` })).objects).toHaveLength(0)
    expect(await env.MEDIA.head('videos/other/poster.jpg')).not.toBeNull()
    const again = await deliver('clipstream-media', { type: 'delete-media', videoId: id })
    expect(again.explicitAcks).toHaveLength(1)
  })

  it('drops malformed messages instead of retrying them forever', async () => {
    const result = await deliver('clipstream-media', { type: 'launch-rockets' })
    expect(result.explicitAcks).toHaveLength(1)
    expect(result.retryMessages).toHaveLength(0)
  })

  it('a moderation message that died in the dead-letter queue sends the video to review, once', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id, { status: 'moderating' })
    await deliver('clipstream-moderation-dlq', { type: 'moderate-video', videoId: id })
    await deliver('clipstream-moderation-dlq', { type: 'moderate-video', videoId: id })
    const [video] = await db().select().from(videos).where(eq(videos.id, id))
    expect(video?.status).toBe('in_review')
    expect(video?.statusReason).toBe('Automatic moderation unavailable')
    const events = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, id))
    expect(events).toHaveLength(1)
  })

  it('backs off exponentially with a cap', () => {
    expect(retryDelaySeconds(1)).toBeLessThanOrEqual(10)
    expect(retryDelaySeconds(3)).toBeGreaterThanOrEqual(20)
    expect(retryDelaySeconds(30)).toBeLessThanOrEqual(600)
  })
})

describe('sweeper', () => {
  it('re-queues only videos stuck in moderation past the timeout', async () => {
    const creator = await makeUser()
    const stuck = await makeVideo(creator.id, { status: 'moderating' })
    await makeVideo(creator.id, { status: 'moderating' })
    await db()
      .update(videos)
      .set({ statusChangedAt: Date.now() - MODERATION_TIMEOUT_MS - 1000 })
      .where(eq(videos.id, stuck))
    const result = await sweepStuckVideos(env)
    expect(result.requeuedModeration).toBeGreaterThanOrEqual(1)
  })
})

describe('scheduled handler', () => {
  it('runs the sweeper for its cron expression', async () => {
    const { createScheduledController, waitOnExecutionContext } = await import('cloudflare:test')
    const ctx = createExecutionContext()
    await worker.scheduled(
      createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }),
      env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
  })
})
