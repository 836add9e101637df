import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { comments, videos } from '../../db/schema'

// What its owner deleted stays deleted: moderators can restore only what a
// moderator removed.
describe('moderation actions on content its owner removed', () => {
  it('restore (and approve) of an owner-deleted video is refused; a moderator removal can be restored', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const creator = await makeUser()
    const deleted = await makeVideo(creator.id)
    expect((await call('DELETE', `/api/videos/${deleted}`, { user: creator })).status).toBe(200)
    const removed = await makeVideo(creator.id)
    expect((await call('DELETE', `/api/videos/${removed}`, { user: mod })).status).toBe(200)
    const decide = (ids: string[], action: string) =>
      call('POST', '/api/moderation/videos/decisions', {
        user: mod,
        body: { videoIds: ids, action, reason: 'second look' },
      })
    const restore = await decide([deleted, removed], 'restore')
    expect(restore.json.results).toEqual([
      { id: deleted, status: 'removed', error: 'cannot restore a video its owner deleted' },
      { id: removed, status: 'in_review' },
    ])
    const approve = await decide([deleted], 'approve')
    expect(approve.json.results[0].error).toMatch(/owner deleted/)
    const [row] = await db().select().from(videos).where(eq(videos.id, deleted))
    expect(row?.status).toBe('removed')
  })

  it('a cancelled upload cannot be restored or approved', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const creator = await makeUser()
    const created = await call('POST', '/api/uploads', {
      user: creator,
      body: { title: 'oops', fileName: 'a.mp4', sizeBytes: 100, contentType: 'video/mp4' },
    })
    const id = created.json.video.id as string
    expect((await call('DELETE', `/api/uploads/${id}`, { user: creator })).status).toBe(200)
    for (const action of ['restore', 'approve']) {
      const res = await call('POST', '/api/moderation/videos/decisions', {
        user: mod,
        body: { videoIds: [id], action, reason: 'second look' },
      })
      expect(res.json.results[0]).toMatchObject({ status: 'removed' })
      expect(res.json.results[0].error).toBeTruthy()
    }
    const [row] = await db().select().from(videos).where(eq(videos.id, id))
    expect(row?.status).toBe('removed')
  })

  it('a comment its author deleted cannot be restored or approved', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const author = await makeUser()
    const video = await makeVideo(author.id)
    const id = crypto.randomUUID()
    await db()
      .insert(comments)
      .values({ id, videoId: video, authorId: author.id, body: 'regret', status: 'published' })
    expect((await call('DELETE', `/api/comments/${id}`, { user: author })).status).toBe(200)
    for (const action of ['restore', 'approve']) {
      const res = await call('POST', '/api/moderation/comments/decisions', {
        user: mod,
        body: { commentIds: [id], action, reason: 'second look' },
      })
      expect(res.json.results[0]).toMatchObject({ id, status: 'removed' })
      expect(res.json.results[0].error).toBeTruthy()
    }
    const [row] = await db().select().from(comments).where(eq(comments.id, id))
    expect(row?.status).toBe('removed')
  })
})
