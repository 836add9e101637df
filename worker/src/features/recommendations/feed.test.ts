import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { runInDurableObject } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo, type JsonAny, type TestUser } from '../../../test/helpers'
import { userInterests, users, videoCategories, watches } from '../../db/schema'
import { DAY_MS, priorArms, type FeedState as FeedStateData } from './engine'
import { feedStateOf } from './feed-state'
import { kvKeys, type ScoredList } from './store'

const OLD = Date.now() - 60 * DAY_MS

async function putList(key: string, ids: string[]) {
  const list: ScoredList = {
    version: 'test',
    builtAt: Date.now(),
    items: ids.map((itemId, i) => ({ itemId, score: 1 - i * 0.01 })),
  }
  await env.RECS.put(key, JSON.stringify(list))
}

async function feedPage(user: TestUser | null, cursor?: string) {
  const res = await call('GET', `/api/feed${cursor ? `?cursor=${cursor}` : ''}`, { user })
  expect(res.status).toBe(200)
  return res.json as { videos: Array<{ id: string }>; nextCursor: string | null } & JsonAny
}

async function allPages(user: TestUser | null, max = 10) {
  const ids: string[] = []
  let cursor: string | undefined
  for (let i = 0; i < max; i++) {
    const page = await feedPage(user, cursor)
    ids.push(...page.videos.map((v: { id: string }) => v.id))
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  return ids
}

// Old videos (outside the exploration pool) so tests can tell exploit items apart.
async function oldVideos(creatorId: string, category: string, n: number) {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    ids.push(await makeVideo(creatorId, { categories: [category], publishedAt: OLD - i * 1000 }))
  }
  return ids
}

async function snapshot(userId: string): Promise<FeedStateData | null> {
  return runInDurableObject(feedStateOf(env, userId), async (_instance, state) => {
    return (await state.storage.get<FeedStateData>('state')) ?? null
  })
}

describe('GET /api/feed', () => {
  it('never serves unpublished, private, removed or banned creators’ videos, even from stale lists', async () => {
    const creator = await makeUser()
    const doomed = await makeUser()
    const visible = await oldVideos(creator.id, 'recipes', 12)
    const hidden = [
      await makeVideo(creator.id, { categories: ['recipes'], visibility: 'private' }),
      await makeVideo(creator.id, { categories: ['recipes'], status: 'in_review' }),
      await makeVideo(creator.id, { categories: ['recipes'], visibility: 'unlisted' }),
      await makeVideo(creator.id, { categories: ['recipes'] }),
      await makeVideo(doomed.id, { categories: ['recipes'] }),
    ]
    const viewer = await makeUser()
    // The lists were built while everything was live; since then it changed.
    const mixed = visible.flatMap((v, i) => (hidden[i] ? [hidden[i], v] : [v]))
    await putList(kvKeys.feed(viewer.id), mixed)
    await putList(kvKeys.trending, mixed)
    await putList(kvKeys.similar(visible[0] ?? ''), mixed)
    await call('DELETE', `/api/videos/${hidden[3]}`, { user: creator })
    await db().update(users).set({ banned: true }).where(eq(users.id, doomed.id))

    const hiddenSet = new Set(hidden)
    const personal = await allPages(viewer)
    const anonymous = await allPages(null)
    const similar = await call('GET', `/api/videos/${visible[0]}/similar`)
    expect(similar.status).toBe(200)
    const similarIds = (similar.json.videos as Array<{ id: string }>).map((v) => v.id)
    expect(personal.length).toBeGreaterThanOrEqual(12)
    expect(anonymous).toEqual(expect.arrayContaining(visible))
    expect(similarIds.length).toBeGreaterThan(0)
    expect(similarIds).not.toContain(visible[0])
    for (const ids of [personal, anonymous, similarIds]) {
      expect(ids.filter((id) => hiddenSet.has(id))).toEqual([])
    }
    // A hidden video has no similar list to anyone but its owner.
    expect((await call('GET', `/api/videos/${hidden[0]}/similar`)).status).toBe(404)
  })

  it('a new visit shows clips served before but not watched, rather than an empty feed', async () => {
    const creator = await makeUser()
    const list = await oldVideos(creator.id, 'memes', 3)
    const viewer = await makeUser()
    await putList(kvKeys.feed(viewer.id), list)
    const first = await feedPage(viewer)
    const firstIds = first.videos.map((v: { id: string }) => v.id)
    expect(firstIds).toEqual(expect.arrayContaining(list))
    // Following the cursor: nothing new, so nothing repeats.
    const next = first.nextCursor ? await feedPage(viewer, first.nextCursor) : { videos: [] }
    expect(next.videos.filter((v: { id: string }) => list.includes(v.id))).toEqual([])
    // Reloading the app: the unwatched clips come back.
    await call('POST', `/api/videos/${list[0]}/watch`, {
      user: viewer,
      body: { fraction: 1, seconds: 5 },
    })
    const reload = await feedPage(viewer)
    const again = reload.videos.map((v: { id: string }) => v.id)
    expect(again).toEqual(expect.arrayContaining(list.slice(1)))
    expect(again).not.toContain(list[0])
  })

  it('pages never repeat, and cards match the other feeds', async () => {
    const creator = await makeUser()
    const list = await oldVideos(creator.id, 'football', 25)
    const viewer = await makeUser()
    await putList(kvKeys.feed(viewer.id), list)
    const first = await feedPage(viewer)
    expect(first.videos).toHaveLength(10)
    expect(typeof first.exploratory).toBe('number')
    expect(first.videos[0]).toHaveProperty('creator.username')
    expect(first.videos[0]).toHaveProperty('counts.views')
    const ids = [...first.videos.map((v: { id: string }) => v.id), ...(await allPages(viewer, 8))]
    expect(new Set(ids).size).toBe(ids.length)
    // Everything from the list shows up exactly once across the pages.
    expect(ids).toEqual(expect.arrayContaining(list))
  })

  it('cold-starts a new user from the parent categories chosen at sign-up', async () => {
    const creator = await makeUser()
    const food = [
      ...(await oldVideos(creator.id, 'street-food', 6)),
      ...(await oldVideos(creator.id, 'baking', 6)),
    ]
    await oldVideos(creator.id, 'basketball', 6)
    const newcomer = await makeUser()
    await db().insert(userInterests).values({ userId: newcomer.id, parentCategoryId: 'food' })
    const page = await feedPage(newcomer)
    const cats = await db()
      .select()
      .from(videoCategories)
      .where(eq(videoCategories.categoryId, 'basketball'))
    const basketball = new Set(cats.map((c) => c.videoId))
    const exploit = page.videos.filter((v: { id: string }) => !basketball.has(v.id))
    expect(page.videos).toHaveLength(10)
    // Exploration may add a few fresh videos from elsewhere; the rest is food.
    expect(exploit.length).toBeGreaterThanOrEqual(10 - page.exploratory)
    expect(page.videos.filter((v: { id: string }) => food.includes(v.id)).length).toBeGreaterThan(0)
    expect(page.videos.filter((v: { id: string }) => basketball.has(v.id))).toEqual([])
  })

  it('skips videos the user already watched (>= 30%), in D1 and in the session', async () => {
    const creator = await makeUser()
    const list = await oldVideos(creator.id, 'covers', 14)
    const viewer = await makeUser()
    await putList(kvKeys.feed(viewer.id), list)
    const earlier = list[0] ?? ''
    await db().insert(watches).values({ userId: viewer.id, videoId: earlier, watchFraction: 0.6 })
    // Watched just now, before the first page: the DO knows at once.
    const now = list[5] ?? ''
    expect(
      (
        await call('POST', `/api/videos/${now}/watch`, {
          user: viewer,
          body: { fraction: 0.9, seconds: 9 },
        })
      ).status,
    ).toBe(200)
    // A glance does not hide a video.
    const glanced = list[6] ?? ''
    await call('POST', `/api/videos/${glanced}/watch`, {
      user: viewer,
      body: { fraction: 0.1, seconds: 1 },
    })
    const ids = await allPages(viewer, 4)
    expect(ids).not.toContain(earlier)
    expect(ids).not.toContain(now)
    expect(ids).toContain(glanced)
  })

  it('a like reorders the very next page, and the DO keeps the Thompson state', async () => {
    const creator = await makeUser()
    const memes = await oldVideos(creator.id, 'memes', 10)
    const running = await oldVideos(creator.id, 'running', 10)
    // Memes lead slightly at every rank.
    const list = memes.flatMap((m, i) => [m, running[i] ?? ''])
    const control = await makeUser()
    const liker = await makeUser()
    await putList(kvKeys.feed(control.id), list)
    await putList(kvKeys.feed(liker.id), list)
    const runningVideo = await makeVideo(creator.id, { categories: ['running'], publishedAt: OLD })
    expect((await call('POST', `/api/videos/${runningVideo}/like`, { user: liker })).status).toBe(
      200,
    )
    const firstOfList = (ids: Array<{ id: string }>) => ids.find((v) => list.includes(v.id))?.id
    const controlPage = await feedPage(control)
    const likerPage = await feedPage(liker)
    expect(memes).toContain(firstOfList(controlPage.videos))
    expect(running).toContain(firstOfList(likerPage.videos))

    const afterPage = await snapshot(liker.id)
    expect(afterPage?.pagesServed).toBe(1)
    expect(afterPage?.served).toEqual(likerPage.videos.map((v: { id: string }) => v.id))
    expect(afterPage?.interest.weights.running).toBeGreaterThan(0)
    // Liking a served item is an outcome for the arm that placed it.
    const served = afterPage?.pending[0]
    expect(served).toBeDefined()
    await call('POST', `/api/videos/${served?.itemId}/like`, { user: liker })
    const afterLike = await snapshot(liker.id)
    const arm = served?.arm ?? 'exploit'
    expect(afterLike?.arms[arm].alpha).toBe(priorArms[arm].alpha + 1)
    expect(afterLike?.pending.some((p) => p.itemId === served?.itemId)).toBe(false)

    // A served item watched below 30% becomes a skip once the user moves on.
    const next = afterLike?.pending[0]
    await call('POST', `/api/videos/${next?.itemId}/watch`, {
      user: liker,
      body: { fraction: 0.05, seconds: 1 },
    })
    const nextArm = next?.arm ?? 'exploit'
    const beforeSkip = (await snapshot(liker.id))?.arms[nextArm].beta
    await feedPage(liker)
    const afterSkip = await snapshot(liker.id)
    expect(afterSkip?.arms[nextArm].beta).toBe((beforeSkip ?? 0) + 1)
    expect(afterSkip?.pagesServed).toBe(2)
  })

  it('anonymous users get trending, or the latest videos before anything is built', async () => {
    await env.RECS.delete(kvKeys.trending)
    const creator = await makeUser()
    const newest = await makeVideo(creator.id, { categories: ['pranks'] })
    const page = await feedPage(null)
    expect(page.videos[0]?.id).toBe(newest)
    expect(page.exploratory).toBe(0)
    const second = await feedPage(null, page.nextCursor ?? undefined)
    const ids = [...page.videos, ...second.videos].map((v: { id: string }) => v.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect((await call('GET', '/api/feed?cursor=not-a-cursor')).status).toBe(400)
  })
})

describe('GET /api/videos/:id/similar', () => {
  it('falls back to the newest videos of the same category when no list is built', async () => {
    const creator = await makeUser()
    const [a, b] = await oldVideos(creator.id, 'workouts', 2)
    const elsewhere = await makeVideo(creator.id, { categories: ['stand-up'] })
    const res = await call('GET', `/api/videos/${a}/similar`)
    expect(res.status).toBe(200)
    const ids = (res.json.videos as Array<{ id: string }>).map((v) => v.id)
    expect(ids).toContain(b)
    expect(ids).not.toContain(a)
    expect(ids).not.toContain(elsewhere)
  })
})
