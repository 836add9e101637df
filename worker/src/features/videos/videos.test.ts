import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { and, count, eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { likes, moderationEvents, videoCategories, videos, watches } from '../../db/schema'

describe('videos: happy path', () => {
  it('shows a published video to everyone, with creator, categories and media links', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id, { categories: ['recipes'] })
    const res = await call('GET', `/api/videos/${id}`)
    expect(res.status).toBe(200)
    expect(res.json.video).toMatchObject({
      id,
      creator: { id: creator.id, username: creator.username },
      categories: ['recipes'],
      counts: { views: 0, likes: 0, comments: 0 },
    })
    // Status is the creator's business.
    expect(res.json.video.status).toBeUndefined()
    const own = await call('GET', `/api/videos/${id}`, { user: creator })
    expect(own.json.video.status).toBe('published')
  })

  it('lets the creator edit text, categories, tags and visibility; text edits re-moderate', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id)
    const res = await call('PATCH', `/api/videos/${id}`, {
      user: creator,
      body: { title: 'New title', categories: ['baking', 'recipes'], tags: ['Bread', 'sourdough'] },
    })
    expect(res.status).toBe(200)
    expect(res.json.video.title).toBe('New title')
    expect(res.json.video.tags.sort()).toEqual(['bread', 'sourdough'])
    // New words are unmoderated words: hidden again until checked.
    expect(res.json.video.status).toBe('moderating')
    expect((await call('GET', `/api/videos/${id}`)).status).toBe(404)
    const cats = await db().select().from(videoCategories).where(eq(videoCategories.videoId, id))
    expect(cats.map((c) => c.categoryId).sort()).toEqual(['baking', 'recipes'])
    const visOnly = await makeVideo(creator.id)
    const vis = await call('PATCH', `/api/videos/${visOnly}`, {
      user: creator,
      body: { visibility: 'unlisted' },
    })
    expect(vis.json.video.status).toBe('published')
  })

  it('likes are idempotent and counted exactly', async () => {
    const creator = await makeUser()
    const fan = await makeUser()
    const id = await makeVideo(creator.id)
    await call('POST', `/api/videos/${id}/like`, { user: fan })
    const twice = await call('POST', `/api/videos/${id}/like`, { user: fan })
    expect(twice.json).toEqual({ liked: true, likeCount: 1 })
    const un = await call('DELETE', `/api/videos/${id}/like`, { user: fan })
    expect(un.json).toEqual({ liked: false, likeCount: 0 })
    const again = await call('DELETE', `/api/videos/${id}/like`, { user: fan })
    expect(again.json.likeCount).toBe(0)
  })

  it('counts a view once, at 30% or 3 seconds, however often progress is reported', async () => {
    const creator = await makeUser()
    const viewer = await makeUser()
    const id = await makeVideo(creator.id)
    const first = await call('POST', `/api/videos/${id}/watch`, {
      user: viewer,
      body: { fraction: 0.1, seconds: 1 },
    })
    expect(first.json.viewCounted).toBe(false)
    const second = await call('POST', `/api/videos/${id}/watch`, {
      user: viewer,
      body: { fraction: 0.35, seconds: 2.5 },
    })
    expect(second.json.viewCounted).toBe(true)
    await call('POST', `/api/videos/${id}/watch`, {
      user: viewer,
      body: { fraction: 1, seconds: 6 },
    })
    const [video] = await db().select().from(videos).where(eq(videos.id, id))
    expect(video?.viewCount).toBe(1)
    const [w] = await db()
      .select()
      .from(watches)
      .where(and(eq(watches.videoId, id), eq(watches.userId, viewer.id)))
    expect(w?.watchFraction).toBe(1)
    expect(w?.watchedSeconds).toBeCloseTo(9.5)
    const secondsOnly = await makeVideo(creator.id)
    const s = await call('POST', `/api/videos/${secondsOnly}/watch`, {
      user: viewer,
      body: { fraction: 0.05, seconds: 3 },
    })
    expect(s.json.viewCounted).toBe(true)
  })

  it('deleting marks the video removed, hides it and queues the media cleanup', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id)
    await env.MEDIA.put(`videos/${id}/poster.jpg`, 'jpeg')
    const res = await call('DELETE', `/api/videos/${id}`, { user: creator })
    expect(res.status).toBe(200)
    const [video] = await db().select().from(videos).where(eq(videos.id, id))
    expect(video?.status).toBe('removed')
    expect((await call('GET', `/api/videos/${id}`)).status).toBe(404)
  })

  it('a moderator can remove anyone’s video, and it is logged', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const id = await makeVideo(creator.id)
    expect((await call('DELETE', `/api/videos/${id}`, { user: mod })).status).toBe(200)
    const events = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, id))
    expect(events).toMatchObject([{ source: 'human', actorId: mod.id, decision: 'removed' }])
  })
})

describe('videos: errors', () => {
  it('answers 404 for unknown ids and for unpublished videos of others', async () => {
    const creator = await makeUser()
    const other = await makeUser()
    expect((await call('GET', '/api/videos/nope')).status).toBe(404)
    for (const status of [
      'uploading',
      'processing',
      'moderating',
      'in_review',
      'rejected',
      'failed',
      'removed',
    ] as const) {
      const id = await makeVideo(creator.id, { status })
      const res = await call('GET', `/api/videos/${id}`, { user: other })
      expect(res.status, status).toBe(404)
      expect(res.json.error.code).toBe('not_found')
      expect((await call('POST', `/api/videos/${id}/like`, { user: other })).status).toBe(404)
    }
  })

  it('refuses out-of-range watch reports and over-long titles', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id)
    const bad = await call('POST', `/api/videos/${id}/watch`, {
      user: creator,
      body: { fraction: 2, seconds: 1 },
    })
    expect(bad.status).toBe(400)
    const long = await call('PATCH', `/api/videos/${id}`, {
      user: creator,
      body: { title: 'x'.repeat(101) },
    })
    expect(long.status).toBe(400)
    const unknownCat = await call('PATCH', `/api/videos/${id}`, {
      user: creator,
      body: { categories: ['nope'] },
    })
    expect(unknownCat.status).toBe(400)
    const extra = await call('PATCH', `/api/videos/${id}`, {
      user: creator,
      body: { status: 'published' },
    })
    expect(extra.status).toBe(400)
  })
})

describe('videos: security', () => {
  it('only the creator edits; others cannot delete', async () => {
    const creator = await makeUser()
    const other = await makeUser()
    const id = await makeVideo(creator.id)
    expect(
      (await call('PATCH', `/api/videos/${id}`, { user: other, body: { title: 'mine now' } }))
        .status,
    ).toBe(403)
    expect((await call('DELETE', `/api/videos/${id}`, { user: other })).status).toBe(403)
    expect((await call('POST', `/api/videos/${id}/like`)).status).toBe(401)
  })

  it('200 concurrent likes and unlikes from distinct users leave like_count equal to the rows', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id)
    const fans = await Promise.all(Array.from({ length: 100 }, () => makeUser()))
    // Each fan likes; half of them also unlike, all at once.
    const requests = fans.flatMap((fan, i) => {
      const like = call('POST', `/api/videos/${id}/like`, { user: fan })
      return i % 2 === 0
        ? [like, like.then(() => call('DELETE', `/api/videos/${id}/like`, { user: fan }))]
        : [like, call('POST', `/api/videos/${id}/like`, { user: fan })]
    })
    const results = await Promise.all(requests)
    expect(results.every((r) => r.status === 200)).toBe(true)
    const [rows] = await db().select({ n: count() }).from(likes).where(eq(likes.videoId, id))
    const [video] = await db().select().from(videos).where(eq(videos.id, id))
    expect(rows?.n).toBe(50)
    expect(video?.likeCount).toBe(rows?.n)
  })
})
