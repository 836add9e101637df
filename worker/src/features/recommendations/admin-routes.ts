import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import { requireRole } from '../auth/middleware'
import { catalogueSize } from './catalogue'
import type { RecsMessage } from './rebuild'
import { latestRun } from './runs'
import { kvKeys, type RebuildRecord } from './store'

// Ops for the recommendation rebuild, mounted at /api/admin/recs.
export const recsAdminRoutes = new Hono<AppEnv>()
  // Runs the same plan as the 03:00 cron, through the queue so it has a consumer's time
  // budget and retries rather than a request's.
  .post('/rebuild', requireRole('admin'), async (c) => {
    const message: RecsMessage = { type: 'recs.rebuild', trigger: `manual:${c.var.user?.id ?? ''}` }
    await c.env.RECS_QUEUE.send(message)
    return c.json({ queued: true }, 202)
  })
  .get('/status', requireRole('moderator'), async (c) => {
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)
    const [lastRebuild, running, preferences, items, served] = await Promise.all([
      c.env.RECS.get<RebuildRecord>(kvKeys.lastRebuild, 'json'),
      latestRun(c.env.DB, 'recommendations'),
      c.env.RECS.get<RebuildRecord>(kvKeys.lastPreferences, 'json'),
      catalogueSize(c.env.DB),
      c.env.DB.prepare(
        `SELECT coalesce(sum(pages), 0) AS pages, coalesce(sum(items), 0) AS items,
           coalesce(sum(exploratory), 0) AS exploratory FROM recs_feed_stats WHERE day >= ?1`,
      )
        .bind(since)
        .first<{ pages: number; items: number; exploratory: number }>(),
    ])
    const items7d = served?.items ?? 0
    return c.json({
      lastRebuild,
      // The newest run, finished or not, so an operator sees a rebuild in progress.
      currentRun: running,
      lastPreferences: preferences,
      catalogueSize: items,
      feed: {
        days: 7,
        pages: served?.pages ?? 0,
        items: items7d,
        explorationShare: items7d > 0 ? (served?.exploratory ?? 0) / items7d : null,
      },
    })
  })
