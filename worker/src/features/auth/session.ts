import { and, eq, gt } from 'drizzle-orm'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv, SessionUser } from '../../context'
import type { Db } from '../../db/client'
import { sessions, users } from '../../db/schema'
import { base64Url, sha256Hex } from '../../lib/ids'

export const SESSION_COOKIE = 'cs_session'
const SESSION_DAYS = 30
const DAY_MS = 24 * 60 * 60 * 1000

export async function createSession(db: Db, userId: string): Promise<{ token: string }> {
  const token = base64Url(crypto.getRandomValues(new Uint8Array(32)))
  await db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    userId,
    expiresAt: Date.now() + SESSION_DAYS * DAY_MS,
  })
  return { token }
}

export async function findSessionUser(db: Db, token: string): Promise<SessionUser | null> {
  const rows = await db
    .select({ id: users.id, username: users.username, role: users.role, banned: users.banned })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, await sha256Hex(token)), gt(sessions.expiresAt, Date.now())))
    .limit(1)
  return rows[0] ?? null
}

export async function revokeSession(db: Db, token: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, await sha256Hex(token)))
}

export function setSessionCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: SESSION_DAYS * 24 * 60 * 60,
  })
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true })
}

export const readSessionToken = (c: Context<AppEnv>) => getCookie(c, SESSION_COOKIE)
