import { and, eq, gt } from 'drizzle-orm'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv, SessionUser } from '../../context'
import type { Db } from '../../db/client'
import { sessions, users } from '../../db/schema'
import { base64Url } from '../../lib/ids'

export const SESSION_COOKIE = 'cs_session'

// SHA-256 round constants: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes (FIPS 180-4).
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])
const W = new Uint32Array(64)

// The hex SHA-256 of a token, as sessions.token_hash holds it (the same digest as
// lib/ids.ts sha256Hex; session.test.ts checks that they agree). Computed here, synchronously,
// because every signed-in request hashes its cookie before anything else: crypto.subtle.digest
// is asynchronous and cost 0.25-0.5 ms of a feed page's ~7 ms in the bench's profiles, while a
// 43-character token is one 64-byte block here (microseconds). Sessions stay held by the hash,
// never by the raw token, so what an isolate keeps in memory cannot be replayed as a cookie.
export function hashToken(token: string): string {
  const bytes = new TextEncoder().encode(token)
  // Message, the 0x80 marker, zeros, then the length in bits as 64 bits big-endian.
  const blocks = Math.ceil((bytes.length + 9) / 64)
  const data = new Uint8Array(blocks * 64)
  data.set(bytes)
  data[bytes.length] = 0x80
  const view = new DataView(data.buffer)
  view.setUint32(data.length - 8, Math.floor(bytes.length / 0x20000000))
  view.setUint32(data.length - 4, (bytes.length * 8) >>> 0)
  let h0 = 0x6a09e667
  let h1 = 0xbb67ae85
  let h2 = 0x3c6ef372
  let h3 = 0xa54ff53a
  let h4 = 0x510e527f
  let h5 = 0x9b05688c
  let h6 = 0x1f83d9ab
  let h7 = 0x5be0cd19
  for (let offset = 0; offset < data.length; offset += 64) {
    for (let t = 0; t < 16; t++) W[t] = view.getUint32(offset + t * 4)
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15] ?? 0
      const w2 = W[t - 2] ?? 0
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)
      W[t] = (W[t - 16] ?? 0) + s0 + (W[t - 7] ?? 0) + s1
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    let f = h5
    let g = h6
    let h = h7
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const ch = (e & f) ^ (~e & g)
      const t1 = (h + S1 + ch + (K[t] ?? 0) + (W[t] ?? 0)) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) | 0
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + b) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
    h5 = (h5 + f) | 0
    h6 = (h6 + g) | 0
    h7 = (h7 + h) | 0
  }
  return [h0, h1, h2, h3, h4, h5, h6, h7]
    .map((word) => (word >>> 0).toString(16).padStart(8, '0'))
    .join('')
}
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
