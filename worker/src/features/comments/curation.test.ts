import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo, type TestUser } from '../../../test/helpers'
import { comments, moderationEvents, videos } from '../../db/schema'

// A creator keeps their comment section: hide (only the author, who is not told, and
// moderators still see it) or delete comments under their own clip.

async function comment(videoId: string, author: TestUser, body = 'first!') {
  const id = crypto.randomUUID()
  await db()
    .insert(comments)
    .values({ id, videoId, authorId: author.id, body, status: 'published' })
  await db().update(videos).set({ commentCount: 1 }).where(eq(videos.id, videoId))
  return id
}

const list = async (videoId: string, user: TestUser | null) =>
  (await call('GET', `/api/videos/${videoId}/comments`, { user })).json.comments as {
    id: string
    hidden?: boolean
    status?: string
  }[]

describe('comment curation: happy path', () => {
  it('a hidden comment is gone for others, unchanged for its author, marked for the creator and moderators', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const viewer = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    const id = await comment(video, author)
    const hide = await call('POST', `/api/comments/${id}/hide`, { user: creator })
    expect(hide.status).toBe(200)
    expect(hide.json).toEqual({ hidden: true })
    expect((await list(video, viewer)).map((c) => c.id)).toEqual([])
    expect((await list(video, null)).map((c) => c.id)).toEqual([])
    // The author sees it exactly as before: published, no trace of the hiding.
    const [asAuthor] = await list(video, author)
    expect(asAuthor).toMatchObject({ id, status: 'published' })
    expect(asAuthor?.hidden).toBeUndefined()
    expect((await list(video, creator))[0]).toMatchObject({ id, hidden: true })
    expect((await list(video, mod))[0]).toMatchObject({ id, hidden: true })
    const count = async () =>
      (await call('GET', `/api/videos/${video}`)).json.video.counts.comments as number
    expect(await count()).toBe(0)
    // Hiding twice changes nothing; showing it again brings it back for everyone.
    expect((await call('POST', `/api/comments/${id}/hide`, { user: creator })).status).toBe(200)
    const show = await call('DELETE', `/api/comments/${id}/hide`, { user: creator })
    expect(show.json).toEqual({ hidden: false })
    expect((await list(video, viewer)).map((c) => c.id)).toEqual([id])
    expect(await count()).toBe(1)
  })

  it('the creator deletes a comment under their clip; moderators cannot bring it back', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    const id = await comment(video, author)
    expect((await call('DELETE', `/api/comments/${id}`, { user: creator })).status).toBe(200)
    expect(await list(video, author)).toEqual([])
    const [row] = await db().select().from(comments).where(eq(comments.id, id))
    expect(row).toMatchObject({ status: 'removed', reason: 'Deleted by the clip’s creator' })
    const restore = await call('POST', '/api/moderation/comments/decisions', {
      user: mod,
      body: { commentIds: [id], action: 'restore', reason: 'second look' },
    })
    expect(restore.json.results[0].error).toBeTruthy()
    // Not a moderator's decision: nothing in the moderation log.
    const events = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, id))
    expect(events).toEqual([])
  })
})

describe('comment curation: errors', () => {
  it('own comments, held comments and unknown ids get clear errors', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const video = await makeVideo(creator.id)
    const mine = await comment(video, creator)
    const own = await call('POST', `/api/comments/${mine}/hide`, { user: creator })
    expect(own.status).toBe(400)
    expect(own.json.error.message).toMatch(/delete it instead/)
    const held = await comment(video, author)
    await db().update(comments).set({ status: 'held' }).where(eq(comments.id, held))
    // Someone else's held comment does not exist for the creator.
    expect((await call('POST', `/api/comments/${held}/hide`, { user: creator })).status).toBe(404)
    expect((await call('POST', '/api/comments/nope/hide', { user: creator })).status).toBe(404)
  })
})

describe('comment curation: security', () => {
  it('only the clip’s creator hides; others cannot hide or delete, and hidden ones are 404 to them', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const other = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    const id = await comment(video, author)
    expect((await call('POST', `/api/comments/${id}/hide`, { user: other })).status).toBe(403)
    expect((await call('POST', `/api/comments/${id}/hide`, { user: author })).status).toBe(403)
    expect((await call('POST', `/api/comments/${id}/hide`, { user: mod })).status).toBe(403)
    expect((await call('POST', `/api/comments/${id}/hide`)).status).toBe(401)
    expect((await call('DELETE', `/api/comments/${id}`, { user: other })).status).toBe(403)
    await call('POST', `/api/comments/${id}/hide`, { user: creator })
    expect((await call('DELETE', `/api/comments/${id}`, { user: other })).status).toBe(404)
    // A creator's power ends at their own clips.
    const elsewhere = await comment(await makeVideo(other.id), author)
    expect((await call('POST', `/api/comments/${elsewhere}/hide`, { user: creator })).status).toBe(
      403,
    )
    expect((await call('DELETE', `/api/comments/${elsewhere}`, { user: creator })).status).toBe(403)
    const [row] = await db().select().from(comments).where(eq(comments.id, elsewhere))
    expect(row).toMatchObject({ status: 'published', hiddenAt: null })
  })
})
