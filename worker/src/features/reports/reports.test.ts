import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { comments, reports } from '../../db/schema'

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
