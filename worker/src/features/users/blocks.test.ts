import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo, type TestUser } from '../../../test/helpers'
import { comments, videos } from '../../db/schema'
import { refreshCommentCount } from '../comments/count'

// A block (or a report) is kept on the server: after a reload, on another device, the blocked
// creator's clips and comments stay out of every list the blocker reads, and only theirs.

async function comment(videoId: string, author: TestUser, parentId: string | null = null) {
  const id = crypto.randomUUID()
  await db()
    .insert(comments)
    .values({ id, videoId, authorId: author.id, parentId, body: 'nice', status: 'published' })
  await refreshCommentCount(db(), videoId)
  return id
}

type Listed = { id: string; replies?: { id: string }[] }
const ids = (list: Listed[]) => list.map((v) => v.id)

async function explore(viewer: TestUser | null, category: string) {
  const latest = await call('GET', '/api/feeds/latest?limit=50', { user: viewer })
  const inCategory = await call('GET', `/api/feeds/category/${category}?limit=50`, {
    user: viewer,
  })
  expect(latest.status).toBe(200)
  expect(inCategory.status).toBe(200)
  return {
    latest: ids(latest.json.videos as Listed[]),
    category: ids(inCategory.json.videos as Listed[]),
  }
}

async function commentsOn(videoId: string, viewer: TestUser | null) {
  const res = await call('GET', `/api/videos/${videoId}/comments`, { user: viewer })
  expect(res.status).toBe(200)
  const top = res.json.comments as Listed[]
  return {
    top: ids(top),
    replies: top.flatMap((c) => ids(c.replies ?? [])),
    withheld: res.json.withheld as number,
  }
}

async function similarTo(videoId: string, viewer: TestUser | null) {
  const res = await call('GET', `/api/videos/${videoId}/similar?limit=30`, { user: viewer })
  expect(res.status).toBe(200)
  return ids(res.json.videos as Listed[])
}

describe('blocked creators stay hidden after a reload', () => {
  it('Explore, comments and similar clips leave out the blocked creator for the blocker only', async () => {
    const blocked = await makeUser()
    const other = await makeUser()
    const viewer = await makeUser()
    const bystander = await makeUser()
    // Newest of all, so they are on the first page whatever other tests published.
    const at = Date.now() + 50_000_000
    const theirs = await makeVideo(blocked.id, { categories: ['animals'], publishedAt: at + 2 })
    const kept = await makeVideo(other.id, { categories: ['animals'], publishedAt: at + 1 })
    const byOther = await comment(kept, other)
    const byBlocked = await comment(kept, blocked)
    const replyByBlocked = await comment(kept, blocked, byOther)
    const replyByBystander = await comment(kept, bystander, byOther)
    const threadOfBlocked = await comment(kept, bystander, byBlocked)
    const mine = await comment(kept, viewer)

    // The viewer followed the creator before blocking: the block ends it.
    await call('POST', `/api/users/${blocked.username}/follow`, { user: viewer })
    const block = await call('POST', `/api/users/${blocked.username}/block`, { user: viewer })
    expect(block.status).toBe(200)

    const seen = await explore(viewer, 'animals')
    expect(seen.latest).toContain(kept)
    expect(seen.latest).not.toContain(theirs)
    expect(seen.category).toContain(kept)
    expect(seen.category).not.toContain(theirs)
    // The parent category's page is the union of its children: the same rule.
    expect((await explore(viewer, 'travel-nature')).category).not.toContain(theirs)
    const following = await call('GET', '/api/feeds/following', { user: viewer })
    expect(ids(following.json.videos as Listed[])).not.toContain(theirs)

    const thread = await commentsOn(kept, viewer)
    // Of the 6 counted comments the viewer's list leaves out 3: the blocked author's comment
    // and reply, and the bystander's reply under the blocked author's comment.
    expect(thread.withheld).toBe(3)
    expect(thread.top).toEqual(expect.arrayContaining([byOther, mine]))
    expect(thread.top).not.toContain(byBlocked)
    expect(thread.replies).toContain(replyByBystander)
    expect(thread.replies).not.toContain(replyByBlocked)
    // Replies under the blocked author's comment leave with it.
    expect(thread.replies).not.toContain(threadOfBlocked)

    expect(await similarTo(kept, viewer)).not.toContain(theirs)
    // The clip itself stays reachable by link, and says its creator is blocked.
    const page = await call('GET', `/api/videos/${theirs}`, { user: viewer })
    expect(page.status).toBe(200)
    expect(page.json.blockedCreator).toBe(true)
    expect((await call('GET', `/api/videos/${kept}`, { user: viewer })).json.blockedCreator).toBe(
      false,
    )

    // Everyone else, signed in or not, still sees all of it.
    for (const someone of [bystander, null]) {
      const theirView = await explore(someone, 'animals')
      expect(theirView.latest).toContain(theirs)
      expect(theirView.category).toContain(theirs)
      const theirThread = await commentsOn(kept, someone)
      expect(theirThread.withheld).toBe(0)
      expect(theirThread.top).toEqual(expect.arrayContaining([byOther, byBlocked, mine]))
      expect(theirThread.replies).toEqual(
        expect.arrayContaining([replyByBlocked, replyByBystander, threadOfBlocked]),
      )
      expect(await similarTo(kept, someone)).toContain(theirs)
      const page = await call('GET', `/api/videos/${theirs}`, { user: someone })
      expect(page.json.blockedCreator).toBe(false)
    }

    // Unblocking brings everything back for the viewer.
    await call('DELETE', `/api/users/${blocked.username}/block`, { user: viewer })
    expect((await explore(viewer, 'animals')).latest).toContain(theirs)
    expect((await commentsOn(kept, viewer)).top).toContain(byBlocked)
    expect(await similarTo(kept, viewer)).toContain(theirs)
  })

  it('a reported clip or comment stays hidden for its reporter after a reload', async () => {
    const creator = await makeUser()
    const viewer = await makeUser()
    const bystander = await makeUser()
    const at = Date.now() + 60_000_000
    const reported = await makeVideo(creator.id, { categories: ['animals'], publishedAt: at + 1 })
    const kept = await makeVideo(creator.id, { categories: ['animals'], publishedAt: at })
    const rude = await comment(kept, bystander)
    const fine = await comment(kept, creator)
    for (const [subjectType, subjectId] of [
      ['video', reported],
      ['comment', rude],
    ] as const) {
      const res = await call('POST', '/api/reports', {
        user: viewer,
        body: { subjectType, subjectId, reason: 'spam', details: '' },
      })
      expect(res.status).toBe(201)
    }
    const seen = await explore(viewer, 'animals')
    expect(seen.latest).toContain(kept)
    expect(seen.latest).not.toContain(reported)
    expect(seen.category).not.toContain(reported)
    const profile = async (viewer: TestUser | null) =>
      ids(
        (await call('GET', `/api/users/${creator.username}/videos?limit=50`, { user: viewer })).json
          .videos as Listed[],
      )
    expect(await profile(viewer)).toEqual([kept])
    // Reporting a creator's profile asks moderators to look; it does not mute them.
    const other = await makeUser()
    await call('POST', '/api/reports', {
      user: other,
      body: { subjectType: 'user', subjectId: creator.id, reason: 'spam', details: '' },
    })
    expect((await profile(other)).sort()).toEqual([reported, kept].sort())
    expect((await explore(other, 'animals')).latest).toEqual(
      expect.arrayContaining([reported, kept]),
    )
    expect((await commentsOn(kept, other)).top).toEqual(expect.arrayContaining([rude, fine]))
    expect((await profile(bystander)).sort()).toEqual([reported, kept].sort())
    expect((await profile(creator)).sort()).toEqual([reported, kept].sort())
    expect(await commentsOn(kept, viewer)).toMatchObject({ top: [fine], withheld: 1 })
    // Reporting a comment is not blocking its author: their other clips stay.
    expect((await explore(bystander, 'animals')).latest).toContain(reported)
    expect((await commentsOn(kept, bystander)).top).toEqual(expect.arrayContaining([rude, fine]))
  })

  it('a blocked commenter leaves the clip creator’s own view too, not the stored count', async () => {
    const creator = await makeUser()
    const rude = await makeUser()
    const video = await makeVideo(creator.id)
    const id = await comment(video, rude)
    await call('POST', `/api/users/${rude.username}/block`, { user: creator })
    expect((await commentsOn(video, creator)).top).not.toContain(id)
    const [row] = await db()
      .select({ n: videos.commentCount })
      .from(videos)
      .where(eq(videos.id, video))
    // The count is everyone's; the web app takes what it hid off its own display.
    expect(row?.n).toBe(1)
  })
})
