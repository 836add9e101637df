import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { moderatingVideo } from '../../../test/moderation-fixtures'
import { moderationEvents, videos } from '../../db/schema'
import { moderateVideo } from '../moderation/video'

// A creator managing their own clips: edit (through the same checks as an upload) and delete.

async function publish(id: string) {
  await db()
    .update(videos)
    .set({ status: 'published', publishedAt: Date.now() })
    .where(eq(videos.id, id))
}

const ids = (res: { json: { videos: { id: string }[] } }) => res.json.videos.map((v) => v.id)

describe('creator edits: happy path', () => {
  it('an edited title goes through the upload’s text check: a clean one is published again, a threat is not', async () => {
    const creator = await makeUser()
    const clean = await moderatingVideo(creator.id)
    const threat = await moderatingVideo(creator.id)
    for (const id of [clean, threat]) {
      expect(await moderateVideo(env, id)).toBe('published')
    }
    const edit = (id: string, title: string) =>
      call('PATCH', `/api/videos/${id}`, {
        user: creator,
        body: {
          title,
          description: 'second try, with blueberries',
          tags: ['edit'],
          categories: ['recipes'],
        },
      })
    expect((await edit(clean, 'Sunday pancakes, take two')).json.video.status).toBe('moderating')
    expect((await edit(threat, 'I will find you and kill you')).json.video.status).toBe(
      'moderating',
    )
    // What the queue consumer does with the 'edited' message.
    expect(await moderateVideo(env, clean)).toBe('published')
    expect(['in_review', 'rejected']).toContain(await moderateVideo(env, threat))
    const events = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, threat))
    const last = events.sort((a, b) => a.createdAt - b.createdAt).at(-1)
    expect(JSON.parse(last?.scores ?? '{}').triggers).toEqual(
      expect.arrayContaining([expect.objectContaining({ signal: 'text' })]),
    )
    const shown = await call('GET', `/api/videos/${clean}`)
    expect(shown.json.video).toMatchObject({
      title: 'Sunday pancakes, take two',
      tags: ['edit'],
      categories: ['recipes'],
    })
  })

  it('deleting a clip takes it out of the feed and the profile; a failed upload can be deleted too', async () => {
    const creator = await makeUser()
    const live = await makeVideo(creator.id)
    const failed = await makeVideo(creator.id, { status: 'failed' })
    const mine = () => call('GET', '/api/me/videos', { user: creator })
    expect(ids(await mine())).toEqual(expect.arrayContaining([live, failed]))
    expect(ids(await call('GET', `/api/users/${creator.username}/videos`))).toContain(live)
    for (const id of [live, failed]) {
      expect((await call('DELETE', `/api/videos/${id}`, { user: creator })).status).toBe(200)
    }
    expect(ids(await mine())).not.toContain(live)
    expect(ids(await mine())).not.toContain(failed)
    expect(ids(await call('GET', `/api/users/${creator.username}/videos`))).not.toContain(live)
    expect(ids(await call('GET', '/api/feeds/latest?limit=50'))).not.toContain(live)
    expect((await call('GET', `/api/videos/${live}`)).status).toBe(404)
    // The owner's deletion is not a moderation decision: nothing a moderator could restore.
    const events = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, live))
    expect(events).toEqual([])
    // Deleting again is harmless.
    expect((await call('DELETE', `/api/videos/${live}`, { user: creator })).status).toBe(200)
  })
})

describe('creator edits: errors', () => {
  it('bad input gets a clear error and changes nothing', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id, { title: 'Before' })
    const cases: [unknown, RegExp][] = [
      [{ title: 'x'.repeat(101) }, /at most 100/],
      [{ title: '   ' }, /title is required/i],
      [{ categories: ['no-such-category'] }, /unknown category/],
      [{ tags: ['has space'] }, /Tags are/],
      [{ status: 'published' }, /unrecognized|Unrecognized/],
    ]
    for (const [body, message] of cases) {
      const res = await call('PATCH', `/api/videos/${id}`, { user: creator, body })
      expect(res.status).toBe(400)
      expect(res.json.error.message).toMatch(message)
    }
    const [row] = await db().select().from(videos).where(eq(videos.id, id))
    expect(row).toMatchObject({ title: 'Before', status: 'published' })
  })

  it('a deleted clip cannot be edited', async () => {
    const creator = await makeUser()
    const id = await makeVideo(creator.id)
    await call('DELETE', `/api/videos/${id}`, { user: creator })
    const res = await call('PATCH', `/api/videos/${id}`, { user: creator, body: { title: 'Back' } })
    expect(res.status).toBe(409)
  })
})

describe('creator edits: security', () => {
  it('only the creator edits or deletes; others get 403 (published) or 404 (unpublished)', async () => {
    const creator = await makeUser()
    const other = await makeUser()
    const live = await makeVideo(creator.id)
    const held = await makeVideo(creator.id, { status: 'in_review' })
    await publish(live)
    expect(
      (await call('PATCH', `/api/videos/${live}`, { user: other, body: { title: 'mine' } })).status,
    ).toBe(403)
    expect((await call('DELETE', `/api/videos/${live}`, { user: other })).status).toBe(403)
    expect((await call('DELETE', `/api/videos/${held}`, { user: other })).status).toBe(404)
    expect((await call('DELETE', `/api/videos/${live}`)).status).toBe(401)
    const [row] = await db().select().from(videos).where(eq(videos.id, live))
    expect(row?.status).toBe('published')
  })
})
