import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../context'
import { validate } from '../../lib/validate'
import { waitUntilOf } from '../../lib/wait-until'
import { requireUser, userOf } from '../auth/middleware'
import { sessionToConfirm } from '../auth/session'
import { loadVisibleVideo } from '../videos/access'
import { markNotInterested } from './events'
import {
  anonymousFeed,
  cardsInOrder,
  decodeFeedCursor,
  personalFeed,
  similarVideoIds,
} from './serving'

const feedQuery = z.object({
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
})
const similarQuery = z.object({
  limit: z.coerce.number().int().min(1).max(30).default(10),
})

export const recommendationRoutes = new Hono<AppEnv>()
  // The personalised feed: 10 per page, exploitation + Thompson-sampled exploration for
  // signed-in users, trending for everyone else. Pages never repeat.
  .get('/feed', validate('query', feedQuery), async (c) => {
    const { cursor, limit } = c.req.valid('query')
    const decoded = decodeFeedCursor(cursor)
    const user = c.var.user
    const waitUntil = waitUntilOf(c)
    if (user && !user.banned) {
      const page = await personalFeed(c.env, c.var.db, user.id, limit, waitUntil, {
        firstPage: cursor === undefined,
        confirmSession: sessionToConfirm(user),
      })
      // A session revoked meanwhile (its batch found no live session): served as signed out.
      if (page) return c.json(page)
    }
    return c.json(await anonymousFeed(c.env, c.var.db, decoded, limit, waitUntil))
  })
  .get('/videos/:id/similar', validate('query', similarQuery), async (c) => {
    const video = await loadVisibleVideo(c.var.db, c.req.param('id'), c.var.user)
    const viewerId = c.var.user?.id ?? null
    const ids = await similarVideoIds(c.env, video.id, c.req.valid('query').limit, viewerId)
    return c.json({ videos: await cardsInOrder(c.var.db, ids, viewerId) })
  })
  // "Not interested" in a clip the viewer can see: never recommended to them again, and its
  // neighbours move down from the very next page. Repeating it changes nothing.
  .post('/videos/:id/not-interested', requireUser, async (c) => {
    const me = userOf(c)
    const video = await loadVisibleVideo(c.var.db, c.req.param('id'), me)
    await markNotInterested(c.env, me.id, video.id)
    return c.json({ notInterested: true })
  })
