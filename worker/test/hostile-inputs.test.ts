import { describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import { call, callTheAppDirectly, db, makeUser, makeVideo, type TestUser } from './helpers'
import {
  comments,
  follows,
  likes,
  moderationEvents,
  reports,
  sessions,
  users,
  videos,
  watches,
} from '../src/db/schema'

// Generated hostile input over every route that takes input: each field of
// each body gets values of the wrong type or out of range, whole bodies are
// replaced by non-objects, queries and path segments get junk. Every case
// must answer 4xx in the error shape (never 5xx) and write nothing.

type Field = 'string' | 'number' | 'enum' | 'array' | 'id'
type InputRoute = {
  method: string
  path: (f: Fixture) => string
  who: 'user' | 'moderator' | 'admin' | 'anonymous'
  valid: (f: Fixture) => Record<string, unknown>
  fields: Record<string, Field>
}
type Fixture = { video: string; comment: string; other: TestUser }

// Values no field of that kind accepts (JSON drops undefined; NaN and
// Infinity become null). Every list has 23 entries.
const ODD = [
  true,
  false,
  null,
  [],
  {},
  [[[]]],
  { a: { b: { c: {} } } },
  { $ne: null },
  [{}, {}],
  { '': '' },
  [null, null],
]
const WRONG: Record<Field, unknown[]> = {
  string: [
    ...ODD,
    0,
    -1,
    42,
    3.14,
    1e308,
    ['a'],
    [1, 2],
    { toString: 'x' },
    'x'.repeat(70_000),
    [''],
    { length: 5 },
    Number.MAX_SAFE_INTEGER,
  ],
  number: [
    ...ODD,
    'half',
    '',
    '1; drop table users',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -1,
    1e308,
    '0x10',
    '1e3',
    ['1'],
    { n: 1 },
    '<script>',
  ],
  enum: [
    ...ODD,
    'planet',
    '',
    42,
    "' OR '1'='1",
    '<script>',
    'ADMIN',
    '\u0000',
    'x'.repeat(1000),
    ['spam'],
    0,
    'Spam ',
    'null',
  ],
  array: [
    ...ODD.filter((v) => !Array.isArray(v) || v.length > 0),
    'comedy',
    42,
    [42],
    [null],
    Array(500).fill('x'),
    [{}],
    [true],
    ['x'.repeat(5000)],
    'a,b',
    0,
    [[1]],
    [-1],
    [3.5],
  ],
  id: [
    ...ODD,
    42,
    'x'.repeat(5000),
    ['a'],
    { id: 'a' },
    1.5,
    0,
    -1,
    1e308,
    [''],
    [null],
    [42],
    { $gt: '' },
  ],
}
const NOT_OBJECTS = [
  '[]',
  '"text"',
  '42',
  'null',
  'true',
  'false',
  '[{}]',
  '{',
  '{"a":',
  '\u0000',
  '',
  '[1,2,3]',
  '"{}"',
  '1e999',
  '-0',
  '[[[]]]',
  '"\\u0000"',
  '{"a":1}}',
]

const ROUTES: InputRoute[] = [
  {
    method: 'POST',
    path: () => '/api/auth/register',
    who: 'anonymous',
    valid: () => ({
      username: 'valid_name',
      email: 'valid@example.test',
      password: 'a long pass phrase',
      interests: [],
    }),
    fields: { username: 'string', email: 'string', password: 'string', interests: 'array' },
  },
  {
    method: 'POST',
    path: () => '/api/auth/login',
    who: 'anonymous',
    valid: () => ({ email: 'valid@example.test', password: 'whatever' }),
    fields: { email: 'string', password: 'string' },
  },
  {
    method: 'POST',
    path: (f) => `/api/videos/${f.video}/comments`,
    who: 'user',
    valid: () => ({ body: 'hello' }),
    fields: { body: 'string', parentId: 'id' },
  },
  {
    method: 'POST',
    path: () => '/api/reports',
    who: 'user',
    valid: (f) => ({ subjectType: 'video', subjectId: f.video, reason: 'spam', details: '' }),
    fields: { subjectType: 'enum', subjectId: 'id', reason: 'enum', details: 'string' },
  },
  {
    method: 'POST',
    path: () => '/api/uploads',
    who: 'user',
    valid: () => ({
      title: 'clip',
      fileName: 'a.mp4',
      sizeBytes: 100,
      contentType: 'video/mp4',
    }),
    fields: {
      title: 'string',
      fileName: 'string',
      sizeBytes: 'number',
      contentType: 'enum',
      visibility: 'enum',
      categories: 'array',
      tags: 'array',
    },
  },
  {
    method: 'POST',
    path: (f) => `/api/videos/${f.video}/watch`,
    who: 'user',
    valid: () => ({ fraction: 0.5, seconds: 1 }),
    fields: { fraction: 'number', seconds: 'number' },
  },
  {
    method: 'PATCH',
    path: () => '/api/me',
    who: 'user',
    valid: () => ({ bio: 'hi' }),
    fields: { bio: 'string', displayName: 'string' },
  },
  {
    method: 'PUT',
    path: () => '/api/me/interests',
    who: 'user',
    valid: () => ({ interests: ['comedy'] }),
    fields: { interests: 'array' },
  },
  {
    method: 'POST',
    path: () => '/api/moderation/videos/decisions',
    who: 'moderator',
    valid: (f) => ({ videoIds: [f.video], action: 'approve', reason: 'looks fine' }),
    fields: { videoIds: 'array', action: 'enum', reason: 'string' },
  },
  {
    method: 'POST',
    path: () => '/api/moderation/comments/decisions',
    who: 'moderator',
    valid: (f) => ({ commentIds: [f.comment], action: 'approve', reason: 'looks fine' }),
    fields: { commentIds: 'array', action: 'enum', reason: 'string' },
  },
  {
    method: 'POST',
    path: (f) => `/api/admin/users/${f.other.id}/ban`,
    who: 'admin',
    valid: () => ({ reason: 'spam account' }),
    fields: { reason: 'string' },
  },
]

const QUERIES = (f: Fixture) => [
  '/api/feeds/latest?limit=',
  '/api/feeds/latest?cursor=',
  '/api/moderation/videos?status=',
  '/api/moderation/comments?limit=',
  `/api/videos/${f.video}/comments?limit=`,
  `/api/videos/${f.video}/comments?cursor=`,
  '/api/me/videos?limit=',
  '/api/moderation/comments?status=',
]
const JUNK = [
  '-1',
  'abc',
  '1e309',
  '%00',
  "'; drop table videos; --",
  '<script>',
  '9'.repeat(400),
  '0',
  '1.5',
  '[]',
  '{}',
  '\u0000',
]

async function snapshot() {
  const tables = [
    users,
    sessions,
    videos,
    comments,
    likes,
    follows,
    reports,
    watches,
    moderationEvents,
  ]
  const counts = await Promise.all(tables.map((t) => db().select({ n: count() }).from(t)))
  return counts.map(([row]) => row?.n ?? 0)
}

// Over a thousand requests in one file (see callTheAppDirectly).
callTheAppDirectly()

describe('hostile input, generated over every route that takes input', () => {
  it('answers 4xx in the error shape, never 5xx, and writes nothing', async () => {
    const owner = await makeUser()
    const pool = await Promise.all(Array.from({ length: 40 }, () => makeUser()))
    const moderator = await makeUser({ role: 'moderator' })
    const admin = await makeUser({ role: 'admin' })
    const video = await makeVideo(owner.id)
    const comment = crypto.randomUUID()
    await db()
      .insert(comments)
      .values({ id: comment, videoId: video, authorId: owner.id, body: 'hi', status: 'held' })
    const f: Fixture = { video, comment, other: owner }

    type Case = { method: string; path: string; who: InputRoute['who']; rawBody?: string }
    const generated: Case[] = []
    for (const route of ROUTES) {
      const base = { method: route.method, path: route.path(f), who: route.who }
      for (const [field, kind] of Object.entries(route.fields)) {
        for (const value of WRONG[kind]) {
          generated.push({
            ...base,
            rawBody: JSON.stringify({ ...route.valid(f), [field]: value }),
          })
        }
      }
      for (const raw of NOT_OBJECTS) generated.push({ ...base, rawBody: raw })
    }
    for (const prefix of QUERIES(f)) {
      for (const junk of JUNK) {
        generated.push({
          method: 'GET',
          path: `${prefix}${encodeURIComponent(junk)}`,
          who: 'moderator',
        })
      }
    }
    expect(generated.length).toBeGreaterThanOrEqual(1000)

    const before = await snapshot()
    const failures: string[] = []
    let next = 0
    const callerFor = (who: InputRoute['who'], i: number) =>
      who === 'anonymous'
        ? null
        : who === 'moderator'
          ? moderator
          : who === 'admin'
            ? admin
            : (pool[i % pool.length] ?? owner)
    async function worker() {
      while (next < generated.length) {
        const i = next++
        const c = generated[i]
        if (!c) return
        const res = await Promise.race([
          call(c.method, c.path, { user: callerFor(c.who, i), rawBody: c.rawBody }),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), 15_000)),
        ])
        if (!res) {
          failures.push(
            `no answer in 15 s: ${c.method} ${c.path} ${String(c.rawBody).slice(0, 80)}`,
          )
          continue
        }
        const shaped =
          typeof res.json?.error?.code === 'string' &&
          typeof res.json?.error?.requestId === 'string'
        if (res.status < 400 || res.status >= 500 || !shaped) {
          failures.push(`${res.status} ${c.method} ${c.path} ${String(c.rawBody).slice(0, 80)}`)
        }
      }
    }
    const started = Date.now()
    await Promise.all(Array.from({ length: 8 }, worker))
    console.log(JSON.stringify({ hostileCases: generated.length, ms: Date.now() - started }))
    expect(failures).toEqual([])
    expect(await snapshot()).toEqual(before)
  }, 600_000)
})
