import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { comments, moderationEvents, videos } from '../../db/schema'

async function publishedComment(
  videoId: string,
  authorId: string,
  body = 'nice clip',
  parentId: string | null = null,
) {
  const id = crypto.randomUUID()
  await db().insert(comments).values({ id, videoId, authorId, body, status: 'published', parentId })
  return id
}

describe('comments: happy path', () => {
  it('a new comment goes through moderation and the author sees its status at once', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const id = await makeVideo(creator.id)
    const res = await call('POST', `/api/videos/${id}/comments`, {
      user: author,
      body: { body: 'Lovely recipe!' },
    })
    expect(res.status).toBe(201)
    expect(['published', 'held', 'rejected']).toContain(res.json.moderation.status)
    expect(res.json.comment.status).toBe(res.json.moderation.status)
    expect(typeof res.json.moderation.reason).toBe('string')
    const events = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, res.json.comment.id))
    expect(events).toHaveLength(1)
    expect(events[0]?.source).toBe('machine')
  })

  it('lists published comments with one level of replies, newest first, with a cursor', async () => {
    const creator = await makeUser()
    const a = await makeUser()
    const id = await makeVideo(creator.id)
    const first = await publishedComment(id, a.id, 'first')
    await publishedComment(id, a.id, 'a reply', first)
    for (let i = 0; i < 3; i++) await publishedComment(id, a.id, `more ${i}`)
    const page1 = await call('GET', `/api/videos/${id}/comments?limit=2`)
    expect(page1.json.comments).toHaveLength(2)
    const page2 = await call(
      'GET',
      `/api/videos/${id}/comments?limit=2&cursor=${page1.json.nextCursor}`,
    )
    const all = [...page1.json.comments, ...page2.json.comments]
    expect(all).toHaveLength(4)
    expect(new Set(all.map((c: { id: string }) => c.id)).size).toBe(4)
    const withReply = all.find((c: { id: string }) => c.id === first)
    expect(withReply.replies.map((r: { body: string }) => r.body)).toEqual(['a reply'])
    expect(page2.json.nextCursor).toBeNull()
  })

  it('deleting your own published comment removes it and fixes the count', async () => {
    const creator = await makeUser()
    const a = await makeUser()
    const id = await makeVideo(creator.id)
    const cid = await publishedComment(id, a.id)
    await db().update(videos).set({ commentCount: 1 }).where(eq(videos.id, id))
    expect((await call('DELETE', `/api/comments/${cid}`, { user: a })).status).toBe(200)
    const [v] = await db().select().from(videos).where(eq(videos.id, id))
    expect(v?.commentCount).toBe(0)
    expect((await call('GET', `/api/videos/${id}/comments`)).json.comments).toHaveLength(0)
  })
})

describe('comments: errors', () => {
  it('refuses empty and over-long comments, replies to replies, and unknown parents', async () => {
    const creator = await makeUser()
    const a = await makeUser()
    const id = await makeVideo(creator.id)
    expect(
      (await call('POST', `/api/videos/${id}/comments`, { user: a, body: { body: '   ' } })).status,
    ).toBe(400)
    expect(
      (
        await call('POST', `/api/videos/${id}/comments`, {
          user: a,
          body: { body: 'x'.repeat(1001) },
        })
      ).status,
    ).toBe(400)
    const top = await publishedComment(id, a.id)
    const reply = await publishedComment(id, a.id, 'reply', top)
    const deep = await call('POST', `/api/videos/${id}/comments`, {
      user: a,
      body: { body: 'deeper', parentId: reply },
    })
    expect(deep.status).toBe(400)
    expect(deep.json.error.code).toBe('reply_depth')
    const orphan = await call('POST', `/api/videos/${id}/comments`, {
      user: a,
      body: { body: 'hi', parentId: 'nope' },
    })
    expect(orphan.status).toBe(404)
  })
})

describe('comments: security', () => {
  it('held and rejected comments are seen by their author only', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const other = await makeUser()
    const id = await makeVideo(creator.id)
    await db()
      .insert(comments)
      .values([
        {
          id: crypto.randomUUID(),
          videoId: id,
          authorId: author.id,
          body: 'held one',
          status: 'held',
          reason: 'Held for review',
        },
        {
          id: crypto.randomUUID(),
          videoId: id,
          authorId: author.id,
          body: 'rejected one',
          status: 'rejected',
          reason: 'hate',
        },
      ])
    const mine = await call('GET', `/api/videos/${id}/comments`, { user: author })
    expect(mine.json.comments.map((c: { status: string }) => c.status).sort()).toEqual([
      'held',
      'rejected',
    ])
    for (const viewer of [other, null, creator]) {
      const theirs = await call('GET', `/api/videos/${id}/comments`, { user: viewer })
      expect(theirs.json.comments).toHaveLength(0)
    }
  })

  it('renders script strings as data, and others cannot delete your comment', async () => {
    const creator = await makeUser()
    const a = await makeUser()
    const b = await makeUser()
    const id = await makeVideo(creator.id)
    const cid = await publishedComment(id, a.id, '<script>alert(1)</script>')
    const res = await call('GET', `/api/videos/${id}/comments`)
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/)
    expect(res.json.comments[0].body).toBe('<script>alert(1)</script>')
    expect((await call('DELETE', `/api/comments/${cid}`, { user: b })).status).toBe(403)
    expect((await call('DELETE', `/api/comments/${cid}`)).status).toBe(401)
  })

  it('no commenting on videos others cannot see', async () => {
    const creator = await makeUser()
    const a = await makeUser()
    const id = await makeVideo(creator.id, { status: 'in_review' })
    expect(
      (await call('POST', `/api/videos/${id}/comments`, { user: a, body: { body: 'hi' } })).status,
    ).toBe(404)
    expect((await call('GET', `/api/videos/${id}/comments`, { user: a })).status).toBe(404)
  })
})
