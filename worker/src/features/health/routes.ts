import { Hono } from 'hono'
import type { AppEnv } from '../../context'

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'error'> {
  try {
    await check()
    return 'ok'
  } catch {
    return 'error'
  }
}

// Which bindings this Worker can reach right now.
export const healthRoutes = new Hono<AppEnv>()
  // Liveness: answers without touching any binding (also the benchmarks' baseline).
  .get('/live', (c) => c.json({ ok: true }))
  .get('/', async (c) => {
    const env = c.env
    const checks = {
      db: await probe(() => env.DB.prepare('select 1').first()),
      media: await probe(() => env.MEDIA.head('health-probe')),
      recs: await probe(() => env.RECS.get('health-probe')),
      config: await probe(() => env.CONFIG.get('health-probe')),
      feedState: await probe(async () => env.FEED_STATE.idFromName('health-probe')),
      queues: env.MEDIA_QUEUE && env.MODERATION_QUEUE && env.RECS_QUEUE ? 'ok' : 'error',
    }
    const ok = Object.values(checks).every((v) => v === 'ok')
    return c.json({ ok, checks }, ok ? 200 : 503)
  })
