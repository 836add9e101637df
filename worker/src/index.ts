import { app } from './app'
import { handleQueueBatch } from './jobs/queue'
import { runScheduled } from './jobs/scheduled'

export { FeedState } from './features/recommendations/feed-state'
export { TranscoderContainer } from './features/media/transcoder-container'
export type { AppType } from './app'

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    await handleQueueBatch(batch, env)
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller.cron, env))
  },
} satisfies ExportedHandler<Env, unknown>
