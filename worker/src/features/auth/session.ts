import { and, eq, gt } from 'drizzle-orm'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv, SessionUser } from '../../context'
import type { Db } from '../../db/client'
import { sessions, users } from '../../db/schema'
import { base64Url } from '../../lib/ids'
import { sha256HexSync } from '../../lib/sha256'

export const SESSION_COOKIE = 'cs_session'

// The hex SHA-256 of a token, as sessions.token_hash holds it, computed synchronously: every
// signed-in request hashes its cookie before anything else, and crypto.subtle.digest cost
// 0.25-0.5 ms of a feed page's ~7 ms in the bench's profiles. Sessions stay held by the hash,
// never by the raw token, so what an isolate keeps in memory cannot be replayed as a cookie.
export const hashToken = sha256HexSync

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

// The signed-in feed confirms its session in D1 in the same DB.batch() as the rest of its page
// (confirmSessionStatement) and serves nothing personal before the answer. For it, a record
// this isolate read in the last minute answers without the KV read: a page then reads no KV
// at all, and a session revoked anywhere (logout, ban, expiry) is refused on its next page,
// where a KV record could answer for up to a minute after a revocation elsewhere.
const HELD_SESSION_MS = 60_000
const HELD_SESSIONS_MAX = 5000
const heldSessions = new Map<string, { at: number; record: CachedSession }>()
// The token hash behind each user answered for a route that confirms its session.
const toConfirm = new WeakMap<SessionUser, string>()

function holdSession(tokenHash: string, record: CachedSession, now: number): void {
  heldSessions.delete(tokenHash)
  heldSessions.set(tokenHash, { at: now, record })
  // Map order is insertion order: the oldest go first.
  for (const old of heldSessions.keys()) {
    if (heldSessions.size <= HELD_SESSIONS_MAX) break
    heldSessions.delete(old)
  }
}

function heldSession(tokenHash: string, now: number): CachedSession | undefined {
  const held = heldSessions.get(tokenHash)
  if (!held) return undefined
  if (now - held.at < HELD_SESSION_MS && held.record.expiresAt > now) return held.record
  heldSessions.delete(tokenHash)
  return undefined
}

export async function createSession(db: Db, userId: string): Promise<{ token: string }> {
  const token = base64Url(crypto.getRandomValues(new Uint8Array(32)))
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    expiresAt: Date.now() + SESSION_DAYS * DAY_MS,
  })
  return { token }
}

// Without `cache`, D1 answers (the authoritative read). With it, a cached record answers if
// there is one, and a D1 answer is cached for the next request. With `cache.confirmed`, the
// route confirms the session in its own D1 read (sessionToConfirm): a record held by this
// isolate may then answer first.
export async function findSessionUser(
  db: Db,
  token: string,
  cache?: { env: Env; waitUntil: (promise: Promise<unknown>) => void; confirmed?: boolean },
): Promise<SessionUser | null> {
  const hash = hashToken(token)
  const now = Date.now()
  const answer = (record: CachedSession): SessionUser => {
    if (!cache?.confirmed) return record.user
    // Each request its own object, so the hash to confirm is this request's.
    const user = { ...record.user }
    toConfirm.set(user, hash)
    return user
  }
  if (cache?.confirmed) {
    const held = heldSession(hash, now)
    if (held) return answer(held)
  }
  if (cache) {
    const hit = await cache.env.CONFIG.get<CachedSession>(cacheKey(hash), 'json')
    if (hit && hit.expiresAt > now) {
      if (cache.confirmed) holdSession(hash, hit, now)
      return answer(hit)
    }
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
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now)))
    .limit(1)
  if (!row) return null
  const { expiresAt, ...user } = row
  if (cache) {
    const record: CachedSession = { user, expiresAt }
    if (cache.confirmed) holdSession(hash, record, now)
    // A failed write only means the next request reads D1 again.
    cache.waitUntil(
      cache.env.CONFIG.put(cacheKey(hash), JSON.stringify(record), {
        expirationTtl: CACHED_SESSION_SECONDS,
      }).catch((err: unknown) => {
        console.error(
          JSON.stringify({ level: 'warn', event: 'session-cache-write', error: String(err) }),
        )
      }),
    )
  }
  // Read from D1 just now: nothing to confirm.
  return user
}

// The token hash a route must confirm for this user (answered with `cache.confirmed`).
export function sessionToConfirm(user: SessionUser): string | undefined {
  return toConfirm.get(user)
}

// One row while the session is live and its user not banned, given the parameters that hold
// the token hash and the time; the route folds it into a statement of its page's batch.
export function liveSessionSql(tokenHash: string, now: string): string {
  return `SELECT s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = ${tokenHash} AND s.expires_at > ${now} AND u.banned = 0`
}

// The same condition as a query of its own, for routes whose page is read through drizzle
// (feeds/routes.ts): its one row, in the page's db.batch(), confirms the session.
export function liveSessionQuery(db: Db, tokenHash: string, now: number) {
  return db
    .select({ userId: sessions.userId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), eq(users.banned, false)),
    )
    .limit(1)
}

// The session did not confirm: its records here go, and the request is served as signed out.
export async function forgetSession(env: Env, tokenHash: string): Promise<void> {
  heldSessions.delete(tokenHash)
  try {
    await env.CONFIG.delete(cacheKey(tokenHash))
  } catch (err) {
    // The record then expires on its own (60 s); this isolate no longer holds it.
    console.error(
      JSON.stringify({ level: 'warn', event: 'session-cache-delete', error: String(err) }),
    )
  }
}

export async function revokeSession(env: Env, db: Db, token: string) {
  const tokenHash = hashToken(token)
  heldSessions.delete(tokenHash)
  await Promise.all([
    db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)),
    env.CONFIG.delete(cacheKey(tokenHash)),
  ])
}

// After a ban or a role change: the user's cached session records go, so the next request
// of every session reads D1 (and finds none after a ban, or the new role).
export async function forgetCachedSessions(env: Env, tokenHashes: string[]): Promise<void> {
  for (const hash of tokenHashes) heldSessions.delete(hash)
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
