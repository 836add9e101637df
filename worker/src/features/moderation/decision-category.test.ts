import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { appeals, comments, moderationEvents, profileChanges, videos } from '../../db/schema'
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

async function heldBio(userId: string) {
  const id = crypto.randomUUID()
  await db()
    .insert(profileChanges)
    .values({
      id,
      userId,
      field: 'bio',
      text: 'borderline bio',
      status: 'held',
      reason: 'Held for review: likely hate speech',
      scores: JSON.stringify({ H: 0.64, HR: 0.2 }),
    })
  return id
}

const changeStatus = async (id: string) =>
  (await db().select().from(profileChanges).where(eq(profileChanges.id, id)))[0]?.status

describe('profile-review decisions record the category the moderator chose', () => {
  it('a rejected bio keeps the chosen category on its event, and the history shows it', async () => {
    const author = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const change = await heldBio(author.id)
    const res = await call('POST', '/api/moderation/profiles/decisions', {
      user: mod,
      body: { changeIds: [change], action: 'reject', reason: 'aimed at a user', category: 'HR' },
    })
    expect(res.status).toBe(200)
    expect(res.json.results).toEqual([{ id: change, status: 'rejected' }])
    expect((await humanEvents(author.id)).map((e) => [e.decision, e.category])).toEqual([
      ['rejected', 'HR'],
    ])
    const history = await call('GET', `/api/admin/history?source=human&subjectId=${author.id}`, {
      user: mod,
    })
    expect(history.json.events).toMatchObject([
      { decision: 'rejected', category: 'HR', categoryChosen: true },
    ])
  })

  it('refuses a category that is not a policy category, or one given with approve, and decides nothing', async () => {
    const author = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const change = await heldBio(author.id)
    const bodies = [
      { changeIds: [change], action: 'reject', reason: 'nope', category: 'X' },
      { changeIds: [change], action: 'reject', reason: 'nope', category: 'OK' },
      { changeIds: [change], action: 'approve', reason: 'fine', category: 'H' },
    ]
    for (const body of bodies) {
      const res = await call('POST', '/api/moderation/profiles/decisions', { user: mod, body })
      expect(res.status).toBe(400)
      expect(res.json.error.code).toBe('invalid_input')
      expect(JSON.stringify(res.json.error)).toMatch(/category/i)
    }
    expect(await humanEvents(author.id)).toEqual([])
    expect(await changeStatus(change)).toBe('held')
  })
})

async function appealedVideo(creatorId: string) {
  const video = await makeVideo(creatorId, { status: 'rejected' })
  const id = crypto.randomUUID()
  await db().insert(appeals).values({
    id,
    subjectType: 'video',
    subjectId: video,
    appellantId: creatorId,
    message: 'It is a cooking clip; the knife is for onions.',
    appealedStatus: 'rejected',
  })
  return { video, appeal: id }
}

const appealStatus = async (id: string) =>
  (await db().select().from(appeals).where(eq(appeals.id, id)))[0]?.status

describe('appeal answers record the category the moderator chose', () => {
  it('an upheld appeal keeps the chosen category on its event; an overturn names none', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const upheld = await appealedVideo(creator.id)
    const res = await call('POST', `/api/moderation/appeals/${upheld.appeal}/decision`, {
      user: mod,
      body: { outcome: 'uphold', reason: 'a real fight, not cooking', category: 'V2' },
    })
    expect(res.status).toBe(200)
    expect(res.json.appeal.status).toBe('upheld')
    expect((await humanEvents(upheld.video)).map((e) => [e.decision, e.category])).toEqual([
      ['rejected', 'V2'],
    ])
    const history = await call('GET', `/api/admin/history?source=human&subjectId=${upheld.video}`, {
      user: mod,
    })
    expect(history.json.events).toMatchObject([
      { decision: 'rejected', category: 'V2', categoryChosen: true },
    ])

    const overturned = await appealedVideo(creator.id)
    await call('POST', `/api/moderation/appeals/${overturned.appeal}/decision`, {
      user: mod,
      body: { outcome: 'overturn', reason: 'cooking after all' },
    })
    expect((await humanEvents(overturned.video)).map((e) => [e.decision, e.category])).toEqual([
      ['published', null],
    ])
  })

  it('refuses a category that is not a policy category, or one given with overturn, and answers nothing', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const { video, appeal } = await appealedVideo(creator.id)
    const bodies = [
      { outcome: 'uphold', reason: 'still violent', category: 'X' },
      { outcome: 'uphold', reason: 'still violent', category: 'OK' },
      { outcome: 'overturn', reason: 'fine after all', category: 'V' },
    ]
    for (const body of bodies) {
      const res = await call('POST', `/api/moderation/appeals/${appeal}/decision`, {
        user: mod,
        body,
      })
      expect(res.status).toBe(400)
      expect(res.json.error.code).toBe('invalid_input')
      expect(JSON.stringify(res.json.error)).toMatch(/category/i)
    }
    expect(await humanEvents(video)).toEqual([])
    expect(await appealStatus(appeal)).toBe('pending')
    const [row] = await db().select().from(videos).where(eq(videos.id, video))
    expect(row?.status).toBe('rejected')
  })
})
