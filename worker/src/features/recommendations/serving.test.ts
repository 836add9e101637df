import { afterEach, describe, expect, it, vi } from 'vitest'
import { env } from 'cloudflare:workers'
import { call, db, makeUser, makeVideo, type TestUser } from '../../../test/helpers'
import { app } from '../../app'
import { sha256Hex } from '../../lib/ids'
import { CARD_SQL, selectListedCardsById } from '../videos/present'
import { visibleCategoriesQuery } from './serving-reads'
import { LABELS_SQL } from './reasons'
import { ANONYMOUS_MAX_AGE_MS } from './anonymous-pages'
import { forgetFreshVideos } from './serving'
import { kvKeys, type ScoredList } from './store'

async function putList(key: string, ids: string[]) {
  const list: ScoredList = {
    version: 'test',
    builtAt: Date.now(),
    items: ids.map((itemId, i) => ({ itemId, score: 1 - i * 0.01 })),
  }
  await env.RECS.put(key, JSON.stringify(list))
}

const OLD = Date.now() - 60 * 24 * 60 * 60 * 1000

type Page = { videos: { id: string }[] }
const idsOf = (res: { json: Page }) => res.json.videos.map((v) => v.id)

// Every place a clip can show up; `viewer` signed in, the rest anonymous.
async function everywhere(viewer: TestUser, clip: string) {
  const [page, personal, trending, latest, category] = await Promise.all([
    call('GET', `/api/videos/${clip}`, { user: viewer }),
    call('GET', '/api/feed?limit=50', { user: viewer }),
    call('GET', '/api/feed?limit=50'),
    call('GET', '/api/feeds/latest?limit=50'),
    call('GET', '/api/feeds/category/baking?limit=50'),
  ])
  return {
    pageStatus: page.status,
    personal: idsOf(personal),
    anonymous: [...idsOf(trending), ...idsOf(latest), ...idsOf(category)],
  }
}

// A catalogue of fresh clips in one category, in the viewer's list and in trending.
async function catalogue(creator: TestUser, viewer: TestUser) {
  const clips: string[] = []
  for (let i = 0; i < 4; i++) clips.push(await makeVideo(creator.id, { categories: ['baking'] }))
  await putList(kvKeys.feed(viewer.id), clips)
  await putList(kvKeys.trending, clips)
  forgetFreshVideos()
  return clips
}

// Anonymous pages are cached for at most ANONYMOUS_MAX_AGE_MS: moving the clock past it
// shows what a viewer sees a minute after a takedown.
function aMinuteLater() {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() + ANONYMOUS_MAX_AGE_MS + 1)
}

afterEach(() => {
  vi.useRealTimers()
})

describe('takedowns and cached pages', () => {
  it('an owner’s deletion leaves the clip page and signed-in feeds at once, cached anonymous pages within a minute', async () => {
    const creator = await makeUser()
    const viewer = await makeUser()
    const clips = await catalogue(creator, viewer)
    const doomed = clips[1] ?? ''
    const before = await everywhere(viewer, doomed)
    expect(before.pageStatus).toBe(200)
    expect(before.personal).toContain(doomed)
    expect(before.anonymous.filter((id) => id === doomed)).toHaveLength(3)

    expect((await call('DELETE', `/api/videos/${doomed}`, { user: creator })).status).toBe(200)
    // Another page of the personal feed: a fresh visit, so the list is served again.
    const viewer2 = await makeUser()
    await putList(kvKeys.feed(viewer2.id), clips)
    const now = await everywhere(viewer2, doomed)
    expect(now.pageStatus).toBe(404)
    expect(now.personal).not.toContain(doomed)
    expect(now.personal).toEqual(expect.arrayContaining(clips.filter((c) => c !== doomed)))

    aMinuteLater()
    const later = await everywhere(viewer2, doomed)
    expect(later.anonymous).not.toContain(doomed)
    expect(later.anonymous).toEqual(expect.arrayContaining(clips.filter((c) => c !== doomed)))
  })

  it('a banned creator’s clips vanish the same way, and the ban refuses their session at once', async () => {
    const admin = await makeUser({ role: 'admin' })
    const creator = await makeUser()
    const viewer = await makeUser()
    const clips = await catalogue(creator, viewer)
    const before = await everywhere(viewer, clips[0] ?? '')
    expect(before.personal).toEqual(expect.arrayContaining(clips))
    // The creator's own feed request caches their session record.
    expect((await call('GET', '/api/feeds/following', { user: creator })).status).toBe(200)
    const record = `session:${await sha256Hex(creator.cookie.replace('cs_session=', ''))}`
    expect(await env.CONFIG.get(record)).not.toBeNull()

    const ban = await call('POST', `/api/admin/users/${creator.id}/ban`, {
      user: admin,
      body: { reason: 'spam' },
    })
    expect(ban.status).toBe(200)
    expect(await env.CONFIG.get(record)).toBeNull()
    expect((await call('GET', '/api/feeds/following', { user: creator })).status).toBe(401)

    const viewer2 = await makeUser()
    await putList(kvKeys.feed(viewer2.id), clips)
    const now = await everywhere(viewer2, clips[0] ?? '')
    expect(now.pageStatus).toBe(404)
    expect(now.personal.filter((id) => clips.includes(id))).toEqual([])

    aMinuteLater()
    const later = await everywhere(viewer2, clips[0] ?? '')
    expect(later.anonymous.filter((id) => clips.includes(id))).toEqual([])
  })
})

describe('cached sessions', () => {
  it('a logged-out session is refused at once on routes that accept a cached session', async () => {
    const user = await makeUser()
    expect((await call('GET', '/api/feeds/following', { user })).status).toBe(200)
    const record = `session:${await sha256Hex(user.cookie.replace('cs_session=', ''))}`
    expect(await env.CONFIG.get(record)).not.toBeNull()
    expect((await call('POST', '/api/auth/logout', { user })).status).toBe(200)
    expect(await env.CONFIG.get(record)).toBeNull()
    expect((await call('GET', '/api/feeds/following', { user })).status).toBe(401)
  })

  it('a session ended behind the caches’ back gets no personal page, signed-in feed or not', async () => {
    // Revoked elsewhere, as another location's logout or a ban is: D1 only. The KV record
    // and this isolate's held record both still name the session.
    const creator = await makeUser()
    const clip = (n: number) =>
      makeVideo(creator.id, { categories: ['baking'], publishedAt: OLD - n })
    const listed = [await clip(1), await clip(2), await clip(3)]
    const trending = [await clip(4), await clip(5), await clip(6)]
    const viewers = [await makeUser(), await makeUser()]
    await putList(kvKeys.trending, trending)
    for (const viewer of viewers) await putList(kvKeys.feed(viewer.id), listed)
    forgetFreshVideos()
    const records: string[] = []
    for (const viewer of viewers) {
      expect(idsOf(await call('GET', '/api/feed', { user: viewer }))).toEqual(
        expect.arrayContaining(listed),
      )
      const record = `session:${await sha256Hex(viewer.cookie.replace('cs_session=', ''))}`
      expect(await env.CONFIG.get(record)).not.toBeNull()
      records.push(record)
    }
    const [loggedOut, banned] = viewers
    await env.DB.prepare('DELETE FROM sessions WHERE user_id = ?1').bind(loggedOut?.id).run()
    await env.DB.prepare('UPDATE users SET banned = 1 WHERE id = ?1').bind(banned?.id).run()
    for (const viewer of viewers) {
      // The next page is the anonymous one (trending), with nothing from the viewer's list.
      const ids = idsOf(await call('GET', '/api/feed', { user: viewer }))
      expect(ids).toEqual(trending)
      expect(ids.filter((id) => listed.includes(id))).toEqual([])
    }
    // And the stale records are gone.
    for (const record of records) {
      await vi.waitFor(async () => expect(await env.CONFIG.get(record)).toBeNull())
    }
  })

  it('a session ended behind the caches’ back gets no personal latest, category or following page', async () => {
    const creator = await makeUser()
    const clip = await makeVideo(creator.id, { categories: ['baking'] })
    const viewers = [await makeUser(), await makeUser()]
    const likedOn = async (path: string, viewer: TestUser) => {
      const res = await call('GET', path, { user: viewer })
      expect(res.status).toBe(200)
      const videos = res.json.videos as { id: string; likedByMe: boolean }[]
      return videos.find((v) => v.id === clip)?.likedByMe
    }
    const pages = ['/api/feeds/latest?limit=50', '/api/feeds/category/baking?limit=50']
    for (const viewer of viewers) {
      expect((await call('POST', `/api/videos/${clip}/like`, { user: viewer })).status).toBe(200)
      await call('POST', `/api/users/${creator.username}/follow`, { user: viewer })
      // Signed in: the viewer's like is on the card (and the session is now held).
      for (const path of pages) expect(await likedOn(path, viewer)).toBe(true)
      expect(await likedOn('/api/feeds/following?limit=50', viewer)).toBe(true)
    }
    const [loggedOut, banned] = viewers
    await env.DB.prepare('DELETE FROM sessions WHERE user_id = ?1').bind(loggedOut?.id).run()
    await env.DB.prepare('UPDATE users SET banned = 1 WHERE id = ?1').bind(banned?.id).run()
    for (const viewer of viewers) {
      // The very next page is the shared one, with no like of theirs; following needs a session.
      for (const path of pages) expect(await likedOn(path, viewer)).toBe(false)
      expect((await call('GET', '/api/feeds/following', { user: viewer })).status).toBe(401)
    }
    // The logged-out session's record is gone (the banned user's is read again from D1, and
    // its record now says banned).
    const record = `session:${await sha256Hex(loggedOut?.cookie.replace('cs_session=', '') ?? '')}`
    await vi.waitFor(async () => expect(await env.CONFIG.get(record)).toBeNull())
  })

  it('a cached record never answers for writes: those read D1', async () => {
    const user = await makeUser()
    const clip = await makeVideo((await makeUser()).id)
    expect((await call('GET', '/api/feeds/following', { user })).status).toBe(200)
    // The session ends in D1 behind the cache's back (as when another location revoked it).
    await env.DB.prepare('DELETE FROM sessions WHERE user_id = ?1').bind(user.id).run()
    expect((await call('POST', `/api/videos/${clip}/like`, { user })).status).toBe(401)
  })
})

// Storage round trips per request, counted on the real app with a wrapped D1 binding.
function countingD1(db: D1Database) {
  const counts = { roundTrips: 0, statements: 0 }
  let inFlight = 0
  const track = async <T>(n: number, run: () => Promise<T>) => {
    if (inFlight === 0) counts.roundTrips++
    counts.statements += n
    inFlight++
    try {
      return await run()
    } finally {
      inFlight--
    }
  }
  const real = new WeakMap<object, D1PreparedStatement>()
  const wrap = (s: D1PreparedStatement): D1PreparedStatement => {
    const w = {
      bind: (...v: unknown[]) => wrap(s.bind(...v)),
      first: (c?: string) => track(1, () => (c === undefined ? s.first() : s.first(c))),
      run: () => track(1, () => s.run()),
      all: () => track(1, () => s.all()),
      raw: () => track(1, () => s.raw()),
    } as unknown as D1PreparedStatement
    real.set(w, s)
    return w
  }
  const wrapped = {
    prepare: (q: string) => wrap(db.prepare(q)),
    batch: (list: D1PreparedStatement[]) =>
      track(list.length, () => db.batch(list.map((s) => real.get(s) ?? s))),
    exec: (q: string) => track(1, () => db.exec(q)),
    withSession: () => db.withSession(),
    dump: () => db.dump(),
  } as unknown as D1Database
  return { db: wrapped, counts }
}

// KV reads per request, on the same wrapped bindings.
function countingKv(kv: KVNamespace, counts: { kvReads: number }): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (prop === 'get' || prop === 'getWithMetadata') counts.kvReads++
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}

async function counted(path: string, user: TestUser | null) {
  const { db, counts: d1 } = countingD1(env.DB)
  const kv = { kvReads: 0 }
  const headers: Record<string, string> = { 'CF-Connecting-IP': '10.9.9.9' }
  if (user) headers.Cookie = user.cookie
  const res = await app.request(
    path,
    { headers },
    { ...env, DB: db, CONFIG: countingKv(env.CONFIG, kv), RECS: countingKv(env.RECS, kv) },
  )
  expect(res.status).toBe(200)
  return { ...d1, ...kv }
}

describe('storage round trips', () => {
  it('a signed-in page makes one D1 round trip and no KV read once its session is held, an anonymous page none once cached', async () => {
    const creator = await makeUser()
    const viewer = await makeUser()
    await catalogue(creator, viewer)
    // First requests: the session, the exploration pool and the anonymous pages are read.
    await counted('/api/feed', viewer)
    await counted('/api/feed', null)
    await counted('/api/feeds/latest', null)
    // One DB.batch() of one statement: the re-check, whose rows carry the viewer's likes
    // and the session's confirmation (the card rows are cached now); the session record and
    // the viewer's list are held by the isolate, so no KV read.
    expect(await counted('/api/feed', viewer)).toEqual({ roundTrips: 1, statements: 1, kvReads: 0 })
    const none = { roundTrips: 0, statements: 0, kvReads: 0 }
    expect(await counted('/api/feed', null)).toEqual(none)
    expect(await counted('/api/feeds/latest', null)).toEqual(none)
  })

  it('a signed-in latest, category or following page makes one D1 round trip and no KV read once its session is held', async () => {
    const creator = await makeUser()
    const viewer = await makeUser()
    await catalogue(creator, viewer)
    await call('POST', `/api/users/${creator.username}/follow`, { user: viewer })
    // The first request reads the session (D1, then held by the isolate).
    await counted('/api/feeds/latest', viewer)
    // One db.batch(): the session's confirmation and the page's rows (with their categories,
    // tags and the viewer's likes); a category page also asks whether the category exists.
    const one = (statements: number) => ({ roundTrips: 1, statements, kvReads: 0 })
    expect(await counted('/api/feeds/latest', viewer)).toEqual(one(2))
    expect(await counted('/api/feeds/category/baking', viewer)).toEqual(one(3))
    expect(await counted('/api/feeds/following', viewer)).toEqual(one(2))
  })
})

// What SQLite does with a page's statements: `EXPLAIN QUERY PLAN`, one line per step.
async function planOf(sql: string, ...params: string[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>()
  return results.map((r) => r.detail)
}

describe('query plans', () => {
  it('a page’s card rows and reasons’ titles are primary-key probes, not a walk over the catalogue', async () => {
    // Searching videos_feed_idx by (status, visibility) reads every published clip: a page
    // then costs in proportion to the catalogue (bench/recs/feed.mjs at 2,000 vs 20,000).
    const cards = await planOf(CARD_SQL, '[]')
    const labels = await planOf(LABELS_SQL, '[]', '[]', '[]', '')
    // The drizzle card query of similar videos and anonymous pages (cardsInOrder).
    // (With 2 ids SQLite takes the primary key anyway; from 3 on it took the index.)
    const ids = Array.from({ length: 12 }, (_, i) => `clip-${i}`)
    const query = selectListedCardsById(db(), ids).toSQL()
    const listed = await planOf(query.sql, ...query.params.map(String))
    // The re-check of a signed-in page, with every clause it can carry.
    const recheck = visibleCategoriesQuery(ids, {
      userId: 'viewer',
      watchedThreshold: 0.3,
      confirmSession: 'hash',
    })
    const rechecked = await planOf(recheck.sql, ...recheck.params.map(String))
    for (const plan of [cards, labels, listed, rechecked]) {
      expect(plan.join('\n')).not.toMatch(/videos_feed_idx/)
      expect(plan.join('\n')).toMatch(
        /SEARCH (v|videos) USING INDEX sqlite_autoindex_videos_1 \(id=\?\)/,
      )
    }
  })
})
