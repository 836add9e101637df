import { env, exports } from 'cloudflare:workers'
import { createExecutionContext } from 'cloudflare:test'
import { app } from '../src/app'
import { createDb } from '../src/db/client'
import {
  sessions,
  users,
  videos,
  videoCategories,
  type Role,
  type VideoStatus,
} from '../src/db/schema'
import { createSession } from '../src/features/auth/session'
import { newId } from '../src/lib/ids'

export const ORIGIN = 'http://localhost:8787'
export const db = () => createDb(env.DB)

export type TestUser = { id: string; username: string; cookie: string; role: Role }

let counter = 0
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`

// Users are made directly in D1 (PBKDF2 at 100k iterations per user would
// make the big tests slow); the sign-up route has its own tests.
export async function makeUser(opts: { role?: Role; banned?: boolean; name?: string } = {}) {
  const id = newId()
  const username = (opts.name ?? `u_${unique()}`).toLowerCase()
  await db()
    .insert(users)
    .values({
      id,
      username,
      email: `${username}@example.test`,
      passwordHash: 'x',
      role: opts.role ?? 'user',
      banned: opts.banned ?? false,
      displayName: username,
    })
  const { token } = await createSession(db(), id)
  return {
    id,
    username,
    cookie: `cs_session=${token}`,
    role: opts.role ?? 'user',
  } satisfies TestUser
}

export async function makeVideo(
  creatorId: string,
  opts: {
    status?: VideoStatus
    visibility?: 'public' | 'unlisted' | 'private'
    title?: string
    categories?: string[]
    publishedAt?: number
  } = {},
) {
  const id = newId()
  const status = opts.status ?? 'published'
  await db()
    .insert(videos)
    .values({
      id,
      creatorId,
      title: opts.title ?? `clip ${id}`,
      status,
      visibility: opts.visibility ?? 'public',
      publishedAt: status === 'published' ? (opts.publishedAt ?? Date.now()) : null,
      durationSeconds: 10,
      width: 720,
      height: 1280,
    })
  for (const categoryId of opts.categories ?? []) {
    await db().insert(videoCategories).values({ videoId: id, categoryId })
  }
  return id
}

type CallOptions = {
  user?: TestUser | null
  body?: unknown
  rawBody?: string
  origin?: string | null
  headers?: Record<string, string>
  // Client IP as Cloudflare's edge would report it. Each call gets a fresh one
  // unless a test sets it, so per-IP rate limits only bite tests about them.
  ip?: string
}

const randomIp = () => {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3))
  return `10.${a}.${b}.${c}`
}

// Calls the real Worker (the same fetch handler wrangler deploys).
// Through the pool's `exports.default.fetch` every call takes longer than the one before
// (measured in one file: 5 ms per call at first, over 100 ms after a thousand calls, even for
// /api/health/live), so files that make thousands of requests time out. Those files call the
// app's fetch handler directly (the Worker's fetch is app.fetch), which stays under a
// millisecond. Other files keep the Worker entry point they were written against: the feed
// tests' isolate caches behave differently when the app shares the test's own modules.
let direct = false
export function callTheAppDirectly() {
  direct = true
}

export async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = {
    'CF-Connecting-IP': opts.ip ?? randomIp(),
    ...opts.headers,
  }
  if (opts.user) headers.Cookie = opts.user.cookie
  if (opts.origin !== null && method !== 'GET') headers.Origin = opts.origin ?? ORIGIN
  let body: string | undefined
  if (opts.rawBody !== undefined) {
    body = opts.rawBody
    headers['Content-Type'] = 'application/json'
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body)
    headers['Content-Type'] = 'application/json'
  }
  const request = new Request(`http://localhost:8787${path}`, { method, headers, body })
  const res = direct
    ? await app.fetch(request, env, createExecutionContext())
    : await exports.default.fetch(request)
  const text = await res.text()
  let json: unknown = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = text
  }
  return {
    status: res.status,
    json: json as Record<string, unknown> & JsonAny,
    headers: res.headers,
  }
}

// Raw request to the Worker (signed URLs, media), no JSON handling.
export function fetchWorker(path: string, init: RequestInit = {}) {
  const url = path.startsWith('http') ? path : `http://localhost:8787${path}`
  return exports.default.fetch(new Request(url, init))
}

// Loose view of a JSON response for assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonAny = any

export { sessions }
