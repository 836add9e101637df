import { createMiddleware } from 'hono/factory'
import type { AppEnv, SessionUser } from '../../context'
import type { Role } from '../../db/schema'
import { ApiError } from '../../lib/errors'
import { findSessionUser, readSessionToken } from './session'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// Looks up the session (if any) and refuses cross-site state changes: a
// request that carries our cookie and changes something must come from one of
// our own origins.
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const token = readSessionToken(c)
  c.set('user', token ? await findSessionUser(c.var.db, token) : null)
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
  if (!user) throw new ApiError(401, 'unauthenticated', 'Please log in first')
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
