import { describe, expect, it } from 'vitest'
import { asc, count } from 'drizzle-orm'
import { call, callTheAppDirectly, db, makeUser, makeVideo, type TestUser } from './helpers'
import {
  appeals,
  comments,
  follows,
  likes,
  moderationEvents,
  reports,
  sessions,
  userBlocks,
  users,
  videoCategories,
  videoTags,
  videos,
  watches,
} from '../src/db/schema'

// Generated hostile input over every route that takes input: each field of
// each body gets values of the wrong type or out of range, whole bodies are
// replaced by non-objects, queries and path segments get junk. Every case
// must answer 4xx in the error shape (never 5xx) and write nothing.

type Field = 'string' | 'number' | 'enum' | 'array' | 'id'
// 'creator' routes act on the caller's own clip or comment section: each case is sent by one
// of many creators (per-account limits would otherwise answer 429 before the validator).
type Who = 'user' | 'creator' | 'moderator' | 'admin' | 'anonymous'
type InputRoute = {
  method: string
  path: (f: Fixture, mine: Creator) => string
  who: Who
  valid: (f: Fixture, mine: Creator) => Record<string, unknown>
  fields: Record<string, Field>
}
// A creator with a published clip, a rejected clip and someone else's comment under the
// published one.
type Creator = { user: TestUser; video: string; rejected: string; comment: string }
type Fixture = { video: string; comment: string; other: TestUser; appeal: string }

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
    fields: { videoIds: 'array', action: 'enum', reason: 'string', category: 'enum' },
  },
  {
    method: 'POST',
    path: () => '/api/moderation/comments/decisions',
    who: 'moderator',
    valid: (f) => ({ commentIds: [f.comment], action: 'approve', reason: 'looks fine' }),
    fields: { commentIds: 'array', action: 'enum', reason: 'string', category: 'enum' },
  },
  {
    method: 'POST',
    path: (f) => `/api/admin/users/${f.other.id}/ban`,
    who: 'admin',
    valid: () => ({ reason: 'spam account' }),
    fields: { reason: 'string' },
  },
  // A creator editing their own clip.
  {
    method: 'PATCH',
    path: (_, mine) => `/api/videos/${mine.video}`,
    who: 'creator',
    valid: () => ({ title: 'a better title' }),
    fields: {
      title: 'string',
      description: 'string',
      categories: 'array',
      tags: 'array',
      visibility: 'enum',
    },
  },
  {
    method: 'POST',
    path: () => '/api/appeals',
    who: 'creator',
    valid: (_, mine) => ({
      subjectType: 'video',
      subjectId: mine.rejected,
      message: 'This clip breaks no rule, please look again',
    }),
    fields: { subjectType: 'enum', subjectId: 'id', message: 'string' },
  },
  {
    method: 'POST',
    path: (f) => `/api/moderation/appeals/${f.appeal}/decision`,
    who: 'moderator',
    valid: () => ({ outcome: 'uphold', reason: 'still against the rules' }),
    fields: { outcome: 'enum', reason: 'string', category: 'enum' },
  },
]

// Routes whose input is the id in their path (and the caller): each gets every JUNK id from
// a creator (404), and the real id of another creator's clip or comment from a stranger
// (403/404), with a valid body where the route takes one.
type PathRoute = {
  method: string
  path: (id: string) => string
  who: Who
  realId: (mine: Creator) => string
  body?: (mine: Creator) => Record<string, unknown>
}
const PATH_ROUTES: PathRoute[] = [
  {
    method: 'PATCH',
    path: (id) => `/api/videos/${id}`,
    who: 'creator',
    realId: (mine) => mine.video,
    body: () => ({ title: 'taken over' }),
  },
  {
    method: 'DELETE',
    path: (id) => `/api/videos/${id}`,
    who: 'creator',
    realId: (mine) => mine.video,
  },
  {
    method: 'POST',
    path: (id) => `/api/comments/${id}/hide`,
    who: 'creator',
    realId: (mine) => mine.comment,
  },
  {
    method: 'DELETE',
    path: (id) => `/api/comments/${id}/hide`,
    who: 'creator',
    realId: (mine) => mine.comment,
  },
  {
    method: 'DELETE',
    path: (id) => `/api/comments/${id}`,
    who: 'creator',
    realId: (mine) => mine.comment,
  },
  {
    method: 'POST',
    path: () => '/api/appeals',
    who: 'creator',
    realId: (mine) => mine.rejected,
    body: (mine) => ({
      subjectType: 'video',
      subjectId: mine.rejected,
      message: 'This clip breaks no rule, please look again',
    }),
  },
  {
    method: 'POST',
    path: (id) => `/api/moderation/appeals/${id}/decision`,
    who: 'moderator',
    realId: () => 'unused',
    body: () => ({ outcome: 'overturn', reason: 'fine after all' }),
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
  '/api/appeals?subjectType=',
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
    videoCategories,
    videoTags,
    comments,
    likes,
    follows,
    userBlocks,
    reports,
    appeals,
    watches,
    moderationEvents,
  ]
  const counts = await Promise.all(tables.map((t) => db().select({ n: count() }).from(t)))
  // Edits, hides, deletes and answers change rows without adding any: compare those rows too,
  // and the mark a rate-limited account gets.
  const [videoRows, commentRows, appealRows, limited] = await Promise.all([
    db().select().from(videos).orderBy(asc(videos.id)),
    db().select().from(comments).orderBy(asc(comments.id)),
    db().select().from(appeals).orderBy(asc(appeals.id)),
    db().select({ id: users.id, at: users.rateLimitedAt }).from(users).orderBy(asc(users.id)),
  ])
  return {
    counts: counts.map(([row]) => row?.n ?? 0),
    rows: { videoRows, commentRows, appealRows, limited },
  }
}

async function makeCreator(): Promise<Creator> {
  const user = await makeUser()
  const commenter = await makeUser()
  const video = await makeVideo(user.id)
  const rejected = await makeVideo(user.id, { status: 'rejected' })
  const comment = crypto.randomUUID()
  await db().insert(comments).values({
    id: comment,
    videoId: video,
    authorId: commenter.id,
    body: 'hey',
    status: 'published',
  })
  return { user, video, rejected, comment }
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
    const creators = await Promise.all(Array.from({ length: 40 }, () => makeCreator()))
    // A pending appeal for the moderator's answer route.
    const appellant = creators[0]
    if (!appellant) throw new Error('no creators')
    const appeal = crypto.randomUUID()
    await db().insert(appeals).values({
      id: appeal,
      subjectType: 'video',
      subjectId: appellant.rejected,
      appellantId: appellant.user.id,
      message: 'please look again at this',
      appealedStatus: 'rejected',
    })
    const moderators = await Promise.all(
      Array.from({ length: 4 }, () => makeUser({ role: 'moderator' })),
    )
    const f: Fixture = { video, comment, other: owner, appeal }

    type Case = { method: string; path: string; caller: TestUser | null; rawBody?: string }
    const generated: Case[] = []
    // Callers rotate per case so that per-account limits (30 edits or 5 appeals a minute)
    // never answer before the route does.
    const mineFor = (i: number) => creators[i % creators.length] ?? appellant
    const callerFor = (who: Who, i: number) =>
      who === 'anonymous'
        ? null
        : who === 'moderator'
          ? (moderators[i % moderators.length] ?? moderator)
          : who === 'admin'
            ? admin
            : who === 'creator'
              ? mineFor(i).user
              : (pool[i % pool.length] ?? owner)
    const add = (route: { method: string; who: Who }, path: string, rawBody?: string) => {
      const i = generated.length
      generated.push({ method: route.method, path, caller: callerFor(route.who, i), rawBody })
    }
    for (const route of ROUTES) {
      for (const [field, kind] of Object.entries(route.fields)) {
        for (const value of WRONG[kind]) {
          const mine = mineFor(generated.length)
          add(
            route,
            route.path(f, mine),
            JSON.stringify({ ...route.valid(f, mine), [field]: value }),
          )
        }
      }
      for (const raw of NOT_OBJECTS) add(route, route.path(f, mineFor(generated.length)), raw)
    }
    for (const route of PATH_ROUTES) {
      for (const junk of JUNK) {
        const mine = mineFor(generated.length)
        const body = route.body?.(mine)
        const id = encodeURIComponent(junk)
        // The appeal route takes its id in the body.
        const raw = body && 'subjectId' in body ? { ...body, subjectId: junk } : body
        add(route, route.path(id), raw && JSON.stringify(raw))
      }
      if (route.who !== 'creator') continue
      // Strangers acting on a creator's own clip or comment section.
      for (let k = 0; k < 10; k++) {
        const mine = mineFor(k)
        const stranger = pool[k % pool.length] ?? owner
        const body = route.body?.(mine)
        generated.push({
          method: route.method,
          path: route.path(route.realId(mine)),
          caller: stranger,
          rawBody: body && JSON.stringify(body),
        })
      }
    }
    for (const prefix of QUERIES(f)) {
      for (const junk of JUNK) {
        generated.push({
          method: 'GET',
          path: `${prefix}${encodeURIComponent(junk)}`,
          caller: moderator,
        })
      }
    }
    expect(generated.length).toBeGreaterThanOrEqual(1000)

    const before = await snapshot()
    const failures: string[] = []
    let next = 0
    async function worker() {
      while (next < generated.length) {
        const i = next++
        const c = generated[i]
        if (!c) return
        const res = await Promise.race([
          call(c.method, c.path, { user: c.caller, rawBody: c.rawBody }),
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
