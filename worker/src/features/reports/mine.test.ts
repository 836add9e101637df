import { describe, expect, it } from 'vitest'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { comments, reports } from '../../db/schema'
import { MY_REPORTS_LIMIT } from './mine'

describe('reporters are told the outcome of their reports', () => {
  it('pending until a moderator decides, then action taken or within the rules', async () => {
    const creator = await makeUser()
    const reporter = await makeUser()
    const moderator = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id, { title: 'Loud clip' })
    const comment = crypto.randomUUID()
    await db().insert(comments).values({
      id: comment,
      videoId: video,
      authorId: creator.id,
      body: 'you are all idiots',
      status: 'published',
    })
    const report = async (subjectType: string, subjectId: string, reason: string) => {
      const res = await call('POST', '/api/reports', {
        user: reporter,
        body: { subjectType, subjectId, reason },
      })
      expect(res.status).toBe(201)
    }
    await report('video', video, 'hate')
    await report('comment', comment, 'harassment')
    await report('user', creator.id, 'spam')

    const pending = await call('GET', '/api/reports/mine', { user: reporter })
    expect(pending.status).toBe(200)
    expect(pending.json.reports).toHaveLength(3)
    const byType = (res: typeof pending, type: string) =>
      res.json.reports.find((r: { subjectType: string }) => r.subjectType === type)
    for (const type of ['video', 'comment', 'user']) {
      expect(byType(pending, type)).toMatchObject({
        status: 'pending',
        outcome: null,
        outcomeMessage: null,
        resolvedAt: null,
      })
    }
    expect(byType(pending, 'video')).toMatchObject({
      subjectId: video,
      reason: 'hate',
      subjectLabel: 'Clip “Loud clip”',
    })
    expect(byType(pending, 'user').subjectLabel).toBe(`@${creator.username}`)
    // The comment is named by where it is, never by the words the reporter asked not to see.
    expect(byType(pending, 'comment').subjectLabel).toBe('A comment under “Loud clip”')
    expect(JSON.stringify(pending.json)).not.toContain('idiots')

    const resolve = (subjectType: string, subjectId: string, action: string, reason: string) =>
      call('POST', '/api/admin/reports/resolve', {
        user: moderator,
        body: { subjectType, subjectId, action, reason },
      })
    expect((await resolve('video', video, 'act', 'removed, slur at 0:04 (internal)')).status).toBe(
      200,
    )
    expect((await resolve('comment', comment, 'dismiss', 'banter between friends')).status).toBe(
      200,
    )

    const after = await call('GET', '/api/reports/mine', { user: reporter })
    expect(byType(after, 'video')).toMatchObject({
      status: 'resolved',
      outcome: 'action_taken',
      outcomeMessage: expect.stringContaining('took action'),
      resolvedAt: expect.any(Number),
    })
    expect(byType(after, 'comment')).toMatchObject({
      status: 'dismissed',
      outcome: 'no_violation',
      outcomeMessage: expect.stringContaining('within our rules'),
    })
    expect(byType(after, 'user')).toMatchObject({ status: 'pending', outcome: null })
    // The moderator's note is for moderators.
    expect(JSON.stringify(after.json)).not.toContain('internal')
    expect(JSON.stringify(after.json)).not.toContain('banter')
  })

  it('a decision in the review queues closes the reports too: reject acts, approve dismisses', async () => {
    const creator = await makeUser()
    const reporter = await makeUser()
    const moderator = await makeUser({ role: 'moderator' })
    const rejected = await makeVideo(creator.id, { title: 'Scam clip' })
    const approved = await makeVideo(creator.id, { title: 'Fine clip' })
    const comment = crypto.randomUUID()
    await db().insert(comments).values({
      id: comment,
      videoId: approved,
      authorId: creator.id,
      body: 'buy followers at my site',
      status: 'published',
    })
    for (const [subjectType, subjectId] of [
      ['video', rejected],
      ['video', approved],
      ['comment', comment],
    ] as const) {
      const res = await call('POST', '/api/reports', {
        user: reporter,
        body: { subjectType, subjectId, reason: 'spam' },
      })
      expect(res.status).toBe(201)
    }
    const decide = (kind: 'videos' | 'comments', ids: string[], action: string) =>
      call('POST', `/api/moderation/${kind}/decisions`, {
        user: moderator,
        body: { [kind === 'videos' ? 'videoIds' : 'commentIds']: ids, action, reason: 'checked' },
      })
    expect((await decide('comments', [comment], 'reject')).status).toBe(200)
    expect((await decide('videos', [rejected], 'reject')).status).toBe(200)
    expect((await decide('videos', [approved], 'reject')).status).toBe(200)
    // A later approval does not reopen or overturn what was already decided.
    expect((await decide('videos', [approved], 'approve')).status).toBe(200)

    const status = async () =>
      Object.fromEntries(
        (await call('GET', '/api/reports/mine', { user: reporter })).json.reports.map(
          (r: { subjectId: string; status: string }) => [r.subjectId, r.status],
        ),
      )
    expect(await status()).toEqual({
      [rejected]: 'resolved',
      [approved]: 'resolved',
      [comment]: 'resolved',
    })
    // A new report on the published clip, then an approval: within the rules.
    const other = await makeUser()
    await call('POST', '/api/reports', {
      user: other,
      body: { subjectType: 'video', subjectId: approved, reason: 'hate' },
    })
    expect((await decide('videos', [approved], 'reject')).status).toBe(200)
    expect((await call('GET', '/api/reports/mine', { user: other })).json.reports).toMatchObject([
      { subjectId: approved, status: 'resolved', outcome: 'action_taken' },
    ])
    const third = await makeUser()
    const escalated = await makeVideo(creator.id, { status: 'in_review' })
    await db().insert(reports).values({
      id: crypto.randomUUID(),
      reporterId: third.id,
      subjectType: 'video',
      subjectId: escalated,
      reason: 'spam',
    })
    expect((await decide('videos', [escalated], 'approve')).status).toBe(200)
    expect((await call('GET', '/api/reports/mine', { user: third })).json.reports).toMatchObject([
      { subjectId: escalated, status: 'dismissed', outcome: 'no_violation' },
    ])
    // The Reports page still closes what is left, and 404s what a decision already closed.
    const closed = await call('POST', '/api/admin/reports/resolve', {
      user: moderator,
      body: { subjectType: 'video', subjectId: escalated, action: 'dismiss', reason: 'again' },
    })
    expect(closed.status).toBe(404)
  })

  it('nobody else sees them: another user lists only their own, a visitor gets 401', async () => {
    const creator = await makeUser()
    const reporter = await makeUser()
    const other = await makeUser()
    const moderator = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    await call('POST', '/api/reports', {
      user: reporter,
      body: { subjectType: 'video', subjectId: video, reason: 'spam' },
    })
    await call('POST', '/api/admin/reports/resolve', {
      user: moderator,
      body: { subjectType: 'video', subjectId: video, action: 'act', reason: 'spam ring' },
    })
    const mine = await call('GET', '/api/reports/mine', { user: reporter })
    expect(mine.json.reports).toHaveLength(1)

    const theirs = await call('GET', '/api/reports/mine', { user: other })
    expect(theirs.status).toBe(200)
    expect(theirs.json.reports).toEqual([])
    // Not even the moderator who decided, nor the reported creator, through this route.
    for (const user of [moderator, creator]) {
      expect((await call('GET', '/api/reports/mine', { user })).json.reports).toEqual([])
    }
    const visitor = await call('GET', '/api/reports/mine')
    expect(visitor.status).toBe(401)
    expect(visitor.json.error.code).toBeTypeOf('string')
  })

  it('lists the newest reports first, at most MY_REPORTS_LIMIT', async () => {
    const reporter = await makeUser()
    const creator = await makeUser()
    const ids: string[] = []
    for (let i = 0; i < MY_REPORTS_LIMIT + 2; i++) {
      ids.push(await makeVideo(creator.id, { title: `clip ${i}` }))
    }
    // Straight into D1: the report route's per-account limit is 10 a minute.
    for (const [i, id] of ids.entries()) {
      await db()
        .insert(reports)
        .values({
          id: `r-${i}`,
          reporterId: reporter.id,
          subjectType: 'video',
          subjectId: id,
          reason: 'spam',
          createdAt: 1_000 + i,
        })
    }
    const res = await call('GET', '/api/reports/mine', { user: reporter })
    expect(res.status).toBe(200)
    expect(res.json.reports).toHaveLength(MY_REPORTS_LIMIT)
    expect(res.json.reports[0].subjectLabel).toBe(`Clip “clip ${MY_REPORTS_LIMIT + 1}”`)
  })
})
