import { createMiddleware } from 'hono/factory'
import type { AppEnv, SessionUser } from '../../context'
import type { Role } from '../../db/schema'
import { ApiError, unauthenticated } from '../../lib/errors'
import { waitUntilOf } from '../../lib/wait-until'
import { findSessionUser, readSessionToken } from './session'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// Catalogue reads that accept a session record up to a minute old (see session.ts): what they
// show a viewer changes with the viewer only through likes and the personal feed.
const CACHED_SESSION_PATHS = [/^\/api\/feed$/, /^\/api\/feeds\//]

function acceptsCachedSession(method: string, path: string): boolean {
  return SAFE_METHODS.has(method) && CACHED_SESSION_PATHS.some((p) => p.test(path))
}

// Routes that confirm the session in their own D1 batch (recommendations/routes.ts, the
// signed-in feed; feeds/routes.ts, the latest, following and category pages), so a record
// held by the isolate may answer (see session.ts).
const CONFIRMED_SESSION_PATH = /^\/api\/(feed|feeds\/(latest|following|category\/[^/]+))$/

// Looks up the session (if any) and refuses cross-site state changes: a
// request that carries our cookie and changes something must come from one of
// our own origins.
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const token = readSessionToken(c)
  const waitUntil = waitUntilOf(c)
  const cache = acceptsCachedSession(c.req.method, c.req.path)
    ? { env: c.env, waitUntil, confirmed: CONFIRMED_SESSION_PATH.test(c.req.path) }
    : undefined
  c.set('user', token ? await findSessionUser(c.var.db, token, cache) : null)
  if (token && !SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header('Origin')
    // Configured origins only: the request's own URL comes from the Host
    // header, which the client chooses.
    const allowed: string[] = [c.env.APP_ORIGIN, c.env.ADMIN_ORIGIN]
    if (!origin || !allowed.includes(origin)) {
      throw new ApiError(403, 'bad_origin', 'This request did not come from Clipstream')
    }
  }
  await next()
})

const ROLE_RANK: Record<Role, number> = { user: 0, moderator: 1, admin: 2 }

export function currentUser(user: SessionUser | null, method: string): SessionUser {
  if (!user) throw unauthenticated()
  if (user.banned && !SAFE_METHODS.has(method)) {
    throw new ApiError(403, 'banned', 'Your account is suspended')
  }
  return user
}

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  currentUser(c.var.user, c.req.method)
  await next()
})

export const requireRole = (role: Role) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const user = currentUser(c.var.user, c.req.method)
    if (user.banned || ROLE_RANK[user.role] < ROLE_RANK[role]) {
      throw new ApiError(403, 'forbidden', `This needs the ${role} role`)
    }
    await next()
  })

export const isModerator = (user: SessionUser | null) =>
  !!user && !user.banned && ROLE_RANK[user.role] >= ROLE_RANK.moderator

// The signed-in user of a route that sits behind requireUser.
export function userOf(c: { var: { user: SessionUser | null }; req: { method: string } }) {
  return currentUser(c.var.user, c.req.method)
}
