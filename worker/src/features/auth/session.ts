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

// D1 lives in one region; KV answers from the viewer's edge. Reads that only serve the
// catalogue (feeds) may take the session from a KV record at most this old, so a feed page
// does not wait for a D1 round trip to learn who asks. Everything else (writes, account
// pages, media grants) reads D1. Logout, bans and role changes delete the record; 60 s is
// also KV's shortest expiry, and the longest another location may still read a deleted one.
const CACHED_SESSION_SECONDS = 60

interface CachedSession {
  user: SessionUser
  expiresAt: number
}

const cacheKey = (tokenHash: string) => `session:${tokenHash}`

export async function createSession(db: Db, userId: string): Promise<{ token: string }> {
  const token = base64Url(crypto.getRandomValues(new Uint8Array(32)))
  await db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    userId,
    expiresAt: Date.now() + SESSION_DAYS * DAY_MS,
  })
  return { token }
}

// Without `cache`, D1 answers (the authoritative read). With it, a cached record answers if
// there is one, and a D1 answer is cached for the next request.
export async function findSessionUser(
  db: Db,
  token: string,
  cache?: { env: Env; waitUntil: (promise: Promise<unknown>) => void },
): Promise<SessionUser | null> {
  const tokenHash = await sha256Hex(token)
  const now = Date.now()
  if (cache) {
    const hit = await cache.env.CONFIG.get<CachedSession>(cacheKey(tokenHash), 'json')
    if (hit && hit.expiresAt > now) return hit.user
  }
  const [row] = await db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      banned: users.banned,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1)
  if (!row) return null
  const { expiresAt, ...user } = row
  if (cache) {
    const record: CachedSession = { user, expiresAt }
    // A failed write only means the next request reads D1 again.
    cache.waitUntil(
      cache.env.CONFIG.put(cacheKey(tokenHash), JSON.stringify(record), {
        expirationTtl: CACHED_SESSION_SECONDS,
      }).catch((err: unknown) => {
        console.error(
          JSON.stringify({ level: 'warn', event: 'session-cache-write', error: String(err) }),
        )
      }),
    )
  }
  return user
}

export async function revokeSession(env: Env, db: Db, token: string) {
  const tokenHash = await sha256Hex(token)
  await Promise.all([
    db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)),
    env.CONFIG.delete(cacheKey(tokenHash)),
  ])
}

// After a ban or a role change: the user's cached session records go, so the next request
// of every session reads D1 (and finds none after a ban, or the new role).
export async function forgetCachedSessions(env: Env, tokenHashes: string[]): Promise<void> {
  await Promise.all(tokenHashes.map((hash) => env.CONFIG.delete(cacheKey(hash))))
}

export function sessionTokenHashes(db: Db, userId: string) {
  return db
    .select({ tokenHash: sessions.tokenHash })
    .from(sessions)
    .where(eq(sessions.userId, userId))
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
