import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import { validate } from '../../lib/validate'
import { requireUser, userOf } from '../auth/middleware'
import { appealInput, myAppealsQuery } from './schema'
import { appealsOf, fileAppeal, presentAppeal } from './service'

// A creator's appeals against decisions on their own clips and comments. Moderators answer
// them under /api/moderation/appeals (review-routes.ts).
export const appealRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', validate('query', myAppealsQuery), async (c) => {
    const rows = await appealsOf(c.var.db, userOf(c).id, c.req.valid('query'))
    return c.json({ appeals: rows.map(presentAppeal) })
  })
  .post('/', validate('json', appealInput), async (c) => {
    const row = await fileAppeal(c.env, c.var.db, userOf(c).id, c.req.valid('json'))
    return c.json({ appeal: presentAppeal(row) }, 201)
  })
