import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { comments, moderationEvents } from '../../db/schema'
import { newId } from '../../lib/ids'

// Issue 14: a moderator's decision records the policy category they chose, which may differ
// from the machine's; the history shows and filters by it.

async function heldComment(authorId: string, videoId: string, machineScores: object) {
  const id = crypto.randomUUID()
  await db()
    .insert(comments)
    .values({ id, videoId, authorId, body: 'borderline words', status: 'held' })
  await db()
    .insert(moderationEvents)
    .values({
      id: newId(),
      subjectType: 'comment',
      subjectId: id,
      source: 'machine',
      decision: 'held',
      scores: JSON.stringify(machineScores),
    })
  return id
}

const humanEvents = (subjectId: string) =>
  db()
    .select()
    .from(moderationEvents)
    .where(and(eq(moderationEvents.subjectId, subjectId), eq(moderationEvents.source, 'human')))

describe('moderator decisions record the category the moderator chose', () => {
  it('a rejected comment keeps the chosen category, and the history shows and filters by it', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    // The machine read hate; the moderator judges it targeted harassment.
    const chosen = await heldComment(author.id, video, { H: 0.81, HR: 0.3 })
    const unnamed = await heldComment(author.id, video, { H: 0.77 })

    const res = await call('POST', '/api/moderation/comments/decisions', {
      user: mod,
      body: {
        commentIds: [chosen],
        action: 'reject',
        reason: 'aimed at the creator',
        category: 'HR',
      },
    })
    expect(res.status).toBe(200)
    expect(res.json.results).toEqual([{ id: chosen, status: 'rejected' }])
    expect((await humanEvents(chosen)).map((e) => [e.decision, e.category])).toEqual([
      ['rejected', 'HR'],
    ])
    // Without one, nothing is recorded and the history falls back to the machine's.
    await call('POST', '/api/moderation/comments/decisions', {
      user: mod,
      body: { commentIds: [unnamed], action: 'reject', reason: 'slur' },
    })
    expect((await humanEvents(unnamed)).map((e) => e.category)).toEqual([null])

    const history = async (query: string) =>
      (await call('GET', `/api/admin/history?source=human&${query}`, { user: mod })).json.events
    expect(await history(`subjectId=${chosen}`)).toMatchObject([
      { decision: 'rejected', category: 'HR', categoryChosen: true },
    ])
    expect(await history(`subjectId=${unnamed}`)).toMatchObject([
      { decision: 'rejected', category: 'H', categoryChosen: false },
    ])
    const hr = (await history('category=HR&subjectType=comment')).map(
      (e: { subjectId: string }) => e.subjectId,
    )
    expect(hr).toContain(chosen)
    expect(hr).not.toContain(unnamed)
    const h = (await history('category=H&subjectType=comment')).map(
      (e: { subjectId: string }) => e.subjectId,
    )
    expect(h).toContain(unnamed)
    expect(h).not.toContain(chosen)
  })

  it('a rejected video keeps the chosen category', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id, { status: 'in_review' })
    const res = await call('POST', '/api/moderation/videos/decisions', {
      user: mod,
      body: { videoIds: [video], action: 'reject', reason: 'fight at 0:07', category: 'V' },
    })
    expect(res.status).toBe(200)
    expect(res.json.results).toEqual([{ id: video, status: 'rejected' }])
    expect((await humanEvents(video)).map((e) => [e.decision, e.category])).toEqual([
      ['rejected', 'V'],
    ])
  })

  it('refuses a category that is not a policy category, or one given with approve or restore', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id, { status: 'in_review' })
    const comment = await heldComment(author.id, video, { S: 0.7 })
    const bodies = [
      { commentIds: [comment], action: 'reject', reason: 'nope', category: 'X' },
      { commentIds: [comment], action: 'reject', reason: 'nope', category: 'OK' },
      { commentIds: [comment], action: 'approve', reason: 'fine', category: 'S' },
      { commentIds: [comment], action: 'restore', reason: 'again', category: 'S' },
    ]
    for (const body of bodies) {
      const res = await call('POST', '/api/moderation/comments/decisions', { user: mod, body })
      expect(res.status).toBe(400)
      expect(res.json.error.code).toBe('invalid_input')
    }
    const videoRes = await call('POST', '/api/moderation/videos/decisions', {
      user: mod,
      body: { videoIds: [video], action: 'approve', reason: 'fine', category: 'V' },
    })
    expect(videoRes.status).toBe(400)
    // Nothing was decided.
    expect(await humanEvents(comment)).toEqual([])
    expect(await humanEvents(video)).toEqual([])
  })
})
