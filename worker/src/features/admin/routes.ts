import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import { notFound } from '../../lib/errors'
import { validate } from '../../lib/validate'
import { requireRole, userOf } from '../auth/middleware'
import { loadHistory, loadTimeline } from './history'
import { loadOverview } from './overview'
import { loadOpenReports, resolveReports } from './reports'
import {
  historyQuery,
  idParam,
  reasonInput,
  resolveReportsInput,
  roleInput,
  subjectParam,
  userSearchQuery,
} from './schema'
import { loadCreatorHistory, loadUserActivity, searchUsers, setBanned, setRole } from './users'

const moderator = requireRole('moderator')
const admin = requireRole('admin')

// The moderator dashboard's own API (admin/ on its own origin). Review
// decisions and thresholds live in features/moderation; this is the view
// around them: overview, audit history, reports and user management.
export const adminRoutes = new Hono<AppEnv>()
  .get('/overview', moderator, async (c) => c.json(await loadOverview(c.var.db, c.env.RECS)))
  .get('/history', moderator, validate('query', historyQuery), async (c) =>
    c.json(await loadHistory(c.var.db, c.req.valid('query'))),
  )
  .get('/subjects/:type/:id/timeline', moderator, validate('param', subjectParam), async (c) => {
    const { type, id } = c.req.valid('param')
    return c.json(await loadTimeline(c.var.db, type, id))
  })
  .get('/reports', moderator, async (c) => c.json({ groups: await loadOpenReports(c.var.db) }))
  .post('/reports/resolve', moderator, validate('json', resolveReportsInput), async (c) =>
    c.json(await resolveReports(c.var.db, c.req.valid('json'), userOf(c).id)),
  )
  .get('/creators/:id/history', moderator, validate('param', idParam), async (c) =>
    c.json(await loadCreatorHistory(c.var.db, c.req.valid('param').id)),
  )
  .get('/users', admin, validate('query', userSearchQuery), async (c) =>
    c.json({ users: await searchUsers(c.var.db, c.req.valid('query').q) }),
  )
  .get('/users/:id', admin, validate('param', idParam), async (c) =>
    c.json(await loadUserActivity(c.var.db, c.req.valid('param').id)),
  )
  .post(
    '/users/:id/ban',
    admin,
    validate('param', idParam),
    validate('json', reasonInput),
    async (c) => {
      const user = await setBanned(c.env, c.var.db, {
        id: c.req.valid('param').id,
        banned: true,
        reason: c.req.valid('json').reason,
        actorId: userOf(c).id,
      })
      if (!user) throw notFound('User')
      return c.json({ user })
    },
  )
  .post(
    '/users/:id/unban',
    admin,
    validate('param', idParam),
    validate('json', reasonInput),
    async (c) => {
      const user = await setBanned(c.env, c.var.db, {
        id: c.req.valid('param').id,
        banned: false,
        reason: c.req.valid('json').reason,
        actorId: userOf(c).id,
      })
      if (!user) throw notFound('User')
      return c.json({ user })
    },
  )
  .post(
    '/users/:id/role',
    admin,
    validate('param', idParam),
    validate('json', roleInput),
    async (c) => {
      const input = c.req.valid('json')
      const user = await setRole(c.env, c.var.db, {
        id: c.req.valid('param').id,
        role: input.role,
        reason: input.reason,
        actorId: userOf(c).id,
      })
      if (!user) throw notFound('User')
      return c.json({ user })
    },
  )
