import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo, type TestUser } from '../../../test/helpers'
import { users, VIDEO_STATUSES, videos } from '../../db/schema'

describe('feeds', () => {
  it('pages the latest feed by cursor without repeats or gaps', async () => {
    const creator = await makeUser()
    const base = Date.now() + 10_000_000
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push(await makeVideo(creator.id, { publishedAt: base + i }))
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res: { json: { videos: { id: string }[]; nextCursor: string | null } } = await call(
        'GET',
        `/api/feeds/latest?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...res.json.videos.map((v) => v.id))
      cursor = res.json.nextCursor
    } while (cursor && seen.length < 100)
    const mine = seen.filter((id) => ids.includes(id))
    expect(mine).toEqual([...ids].reverse())
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('following shows only followed creators; category feeds include child categories', async () => {
    const followed = await makeUser()
    const stranger = await makeUser()
    const fan = await makeUser()
    const a = await makeVideo(followed.id, { categories: ['speedruns'] })
    const b = await makeVideo(stranger.id, { categories: ['esports'] })
    await call('POST', `/api/users/${followed.username}/follow`, { user: fan })
    const following = await call('GET', '/api/feeds/following', { user: fan })
    expect(following.json.videos.map((v: { id: string }) => v.id)).toEqual([a])
    const parent = await call('GET', '/api/feeds/category/gaming?limit=50')
    const parentIds = parent.json.videos.map((v: { id: string }) => v.id)
    expect(parentIds).toContain(a)
    expect(parentIds).toContain(b)
    const child = await call('GET', '/api/feeds/category/esports?limit=50')
    expect(child.json.videos.map((v: { id: string }) => v.id)).toContain(b)
    expect(child.json.videos.map((v: { id: string }) => v.id)).not.toContain(a)
    expect((await call('GET', '/api/feeds/category/nope')).status).toBe(404)
    expect((await call('GET', '/api/feeds/following')).status).toBe(401)
  })

  it('refuses a tampered cursor', async () => {
    const res = await call('GET', '/api/feeds/latest?cursor=%27%20OR%201%3D1--')
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_cursor')
  })
})

// The invariant: a video that is not published, or is removed, or whose
// creator is banned, never appears in any feed, profile or video endpoint for
// anyone but its owner (and moderators).
describe('invariant: nothing unpublished leaks', () => {
  it('holds for every status, every visibility and banned creators, for every kind of viewer', async () => {
    const creator = await makeUser()
    const bannedCreator = await makeUser()
    const fan = await makeUser()
    await call('POST', `/api/users/${creator.username}/follow`, { user: fan })
    await call('POST', `/api/users/${bannedCreator.username}/follow`, { user: fan })
    const hidden: string[] = []
    for (const status of VIDEO_STATUSES.filter((s) => s !== 'published')) {
      hidden.push(await makeVideo(creator.id, { status, categories: ['memes'] }))
    }
    const privateOne = await makeVideo(creator.id, { visibility: 'private', categories: ['memes'] })
    const unlisted = await makeVideo(creator.id, { visibility: 'unlisted', categories: ['memes'] })
    const ofBanned = await makeVideo(bannedCreator.id, { categories: ['memes'] })
    await db().update(users).set({ banned: true }).where(eq(users.id, bannedCreator.id))
    const visible = await makeVideo(creator.id, { categories: ['memes'] })

    const stranger = await makeUser()
    const viewers: (TestUser | null)[] = [null, stranger, fan]
    for (const viewer of viewers) {
      const lists = [
        await call('GET', '/api/feeds/latest?limit=50', { user: viewer }),
        await call('GET', '/api/feeds/category/memes?limit=50', { user: viewer }),
        await call('GET', '/api/feeds/category/comedy?limit=50', { user: viewer }),
        await call('GET', `/api/users/${creator.username}/videos?limit=50`, { user: viewer }),
        ...(viewer === fan
          ? [await call('GET', '/api/feeds/following?limit=50', { user: viewer })]
          : []),
      ]
      for (const list of lists) {
        const ids = list.json.videos.map((v: { id: string }) => v.id)
        for (const id of [...hidden, privateOne, unlisted, ofBanned]) expect(ids).not.toContain(id)
        expect(ids).toContain(visible)
      }
      for (const id of [...hidden, privateOne, ofBanned]) {
        expect((await call('GET', `/api/videos/${id}`, { user: viewer })).status).toBe(404)
        expect((await call('GET', `/api/videos/${id}/comments`, { user: viewer })).status).toBe(404)
      }
      // Unlisted: reachable by link, never listed.
      expect((await call('GET', `/api/videos/${unlisted}`, { user: viewer })).status).toBe(200)
      expect(
        (await call('GET', `/api/users/${bannedCreator.username}/videos`, { user: viewer })).status,
      ).toBe(404)
    }
    // The owner still sees their own uploads, with status.
    for (const id of [...hidden.filter((h) => h !== hidden[hidden.length - 1]), privateOne]) {
      const own = await call('GET', `/api/videos/${id}`, { user: creator })
      expect(own.status).toBe(200)
    }
    const [removed] = await db().select().from(videos).where(eq(videos.status, 'removed')).limit(1)
    expect(removed).toBeDefined()
  })
})
