import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo, type TestUser } from '../../../test/helpers'
import { comments, reports, users, videos } from '../../db/schema'

describe('reports', () => {
  it('a signed-in user reports a video, a comment and a user; repeats are one report', async () => {
    const creator = await makeUser()
    const reporter = await makeUser()
    const video = await makeVideo(creator.id)
    const comment = crypto.randomUUID()
    await db().insert(comments).values({
      id: comment,
      videoId: video,
      authorId: creator.id,
      body: 'hey',
      status: 'published',
    })
    const v = await call('POST', '/api/reports', {
      user: reporter,
      body: { subjectType: 'video', subjectId: video, reason: 'hate', details: 'at 0:03' },
    })
    expect(v.status).toBe(201)
    const again = await call('POST', '/api/reports', {
      user: reporter,
      body: { subjectType: 'video', subjectId: video, reason: 'hate' },
    })
    expect(again.status).toBe(200)
    expect(again.json.report.id).toBe(v.json.report.id)
    expect(
      (
        await call('POST', '/api/reports', {
          user: reporter,
          body: { subjectType: 'comment', subjectId: comment, reason: 'harassment' },
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await call('POST', '/api/reports', {
          user: reporter,
          body: { subjectType: 'user', subjectId: creator.id, reason: 'spam' },
        })
      ).status,
    ).toBe(201)
    const rows = await db().select().from(reports).where(eq(reports.reporterId, reporter.id))
    expect(rows).toHaveLength(3)
    expect(rows.every((r) => r.state === 'open')).toBe(true)
  })

  it('cannot report what one cannot see, nor oneself, nor with an unknown reason', async () => {
    const creator = await makeUser()
    const reporter = await makeUser()
    const hidden = await makeVideo(creator.id, { status: 'in_review' })
    expect(
      (
        await call('POST', '/api/reports', {
          user: reporter,
          body: { subjectType: 'video', subjectId: hidden, reason: 'spam' },
        })
      ).status,
    ).toBe(404)
    expect(
      (
        await call('POST', '/api/reports', {
          user: reporter,
          body: { subjectType: 'user', subjectId: reporter.id, reason: 'spam' },
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await call('POST', '/api/reports', {
          user: reporter,
          body: { subjectType: 'video', subjectId: hidden, reason: 'boring' },
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await call('POST', '/api/reports', {
          body: { subjectType: 'video', subjectId: hidden, reason: 'spam' },
        })
      ).status,
    ).toBe(401)
  })
})

describe('reports: weighted by reporter trust', () => {
  const DAY = 24 * 60 * 60 * 1000
  async function reporter(opts: { ageDays: number; rateLimited?: boolean; upheld?: number }) {
    const u = await makeUser()
    await db()
      .update(users)
      .set({
        createdAt: Date.now() - opts.ageDays * DAY,
        rateLimitedAt: opts.rateLimited ? Date.now() - 60_000 : null,
      })
      .where(eq(users.id, u.id))
    for (let i = 0; i < (opts.upheld ?? 0); i++) {
      await db().insert(reports).values({
        id: crypto.randomUUID(),
        reporterId: u.id,
        subjectType: 'user',
        subjectId: crypto.randomUUID(),
        reason: 'spam',
        state: 'resolved',
      })
    }
    return u
  }
  const report = (user: TestUser, video: string) =>
    call('POST', '/api/reports', {
      user,
      body: { subjectType: 'video', subjectId: video, reason: 'hate' },
    })
  const statusOf = async (video: string) =>
    (await db().select().from(videos).where(eq(videos.id, video)))[0]?.status

  it('three (or ten) brand-new accounts cannot hide a video', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    for (let i = 0; i < 10; i++) {
      expect((await report(await reporter({ ageDays: 0 }), video)).status).toBe(201)
    }
    expect(await statusOf(video)).toBe('published')
    // The reports are still there for moderators to read.
    const open = await db().select().from(reports).where(eq(reports.subjectId, video))
    expect(open).toHaveLength(10)
  })

  it('rate-limited accounts do not count; three established reporters do send it to review', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    await report(await reporter({ ageDays: 60, rateLimited: true }), video)
    await report(await reporter({ ageDays: 60 }), video)
    await report(await reporter({ ageDays: 60 }), video)
    expect(await statusOf(video)).toBe('published')
    await report(await reporter({ ageDays: 60 }), video)
    expect(await statusOf(video)).toBe('in_review')
  })

  it('reporters whose past reports were upheld weigh more: two of them suffice', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    await report(await reporter({ ageDays: 30, upheld: 1 }), video)
    expect(await statusOf(video)).toBe('published')
    await report(await reporter({ ageDays: 30, upheld: 2 }), video)
    expect(await statusOf(video)).toBe('in_review')
  })
})
