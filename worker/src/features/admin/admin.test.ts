import { env } from 'cloudflare:workers'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { comments, moderationEvents, reports } from '../../db/schema'
import { newId } from '../../lib/ids'
import { call, db, makeUser, makeVideo, type JsonAny } from '../../../test/helpers'
import { decisionStats } from './overview'
import { isOverturn, mainCategory } from './signals'

async function event(
  subjectType: 'video' | 'comment' | 'user',
  subjectId: string,
  values: {
    source: 'machine' | 'human'
    decision: string
    scores?: unknown
    actorId?: string
    createdAt?: number
  },
) {
  const id = newId()
  await db()
    .insert(moderationEvents)
    .values({
      id,
      subjectType,
      subjectId,
      source: values.source,
      decision: values.decision,
      actorId: values.actorId ?? null,
      scores: values.scores === undefined ? null : JSON.stringify(values.scores),
      createdAt: values.createdAt ?? Date.now(),
    })
  return id
}

async function makeComment(videoId: string, authorId: string, status: 'held' | 'published') {
  const id = newId()
  await db().insert(comments).values({ id, videoId, authorId, body: 'a comment', status })
  return id
}

describe('admin API: happy paths', () => {
  it('overview counts waiting items with the age of the oldest, per day series and recs health', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id, { status: 'in_review' })
    await makeComment(video, creator.id, 'held')
    await env.RECS.put(
      'recs:last-rebuild',
      JSON.stringify({ version: 'v7', finishedAt: 1_700_000_000_000, durationMs: 1234, items: 42 }),
    )
    const res = await call('GET', '/api/admin/overview', { user: mod })
    expect(res.status).toBe(200)
    const body: JsonAny = res.json
    expect(body.waiting.videos.count).toBeGreaterThanOrEqual(1)
    expect(body.waiting.videos.oldestAt).toEqual(expect.any(Number))
    expect(body.waiting.comments.count).toBeGreaterThanOrEqual(1)
    expect(body.days).toHaveLength(14)
    const today = new Date().toISOString().slice(0, 10)
    const last = body.days[13]
    expect(last.day).toBe(today)
    expect(last.uploads).toBeGreaterThanOrEqual(1)
    expect(last.comments).toBeGreaterThanOrEqual(1)
    expect(body.recommendations).toEqual({
      version: 'v7',
      finishedAt: 1_700_000_000_000,
      durationMs: 1234,
      items: 42,
      users: null,
      failedBatches: null,
      explorationShare: null,
    })
  })

  it('computes automatic vs human decisions and the overturn rate per category', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    const t = Date.now() - 60_000
    // V2: the machine rejected two comments, a human published one of them.
    const a = await makeComment(video, creator.id, 'published')
    const b = await makeComment(video, creator.id, 'published')
    await event('comment', a, {
      source: 'machine',
      decision: 'rejected',
      scores: { V2: 0.97 },
      createdAt: t,
    })
    await event('comment', b, {
      source: 'machine',
      decision: 'rejected',
      scores: { V2: 0.95 },
      createdAt: t,
    })
    await event('comment', a, {
      source: 'human',
      decision: 'published',
      actorId: mod.id,
      createdAt: t + 1,
    })
    await event('comment', b, {
      source: 'human',
      decision: 'rejected',
      actorId: mod.id,
      createdAt: t + 1,
    })
    // H2 video: sent to review by the machine, then approved: no overturn.
    const v = await makeVideo(creator.id)
    await event('video', v, {
      source: 'machine',
      decision: 'in_review',
      scores: { H2: { gemini: 0.7, frames: { max: 0.2 }, text: 0.1 } },
      createdAt: t,
    })
    await event('video', v, {
      source: 'human',
      decision: 'approve',
      actorId: mod.id,
      createdAt: t + 1,
    })

    const res = await call('GET', '/api/admin/overview', { user: mod })
    const decisions: JsonAny[] = res.json.decisions
    expect(decisions.find((d) => d.category === 'V2')).toEqual({
      category: 'V2',
      machine: 2,
      human: 2,
      overturns: 1,
      overturnRate: 0.5,
    })
    expect(decisions.find((d) => d.category === 'H2')).toMatchObject({
      machine: 1,
      human: 1,
      overturns: 0,
    })
  })

  it('history lists every event with the actor, filterable, and pages', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    const c = await makeComment(video, creator.id, 'held')
    const t = Date.now() - 10_000
    await event('comment', c, {
      source: 'machine',
      decision: 'held',
      scores: { HR: 0.8 },
      createdAt: t,
    })
    await event('comment', c, {
      source: 'human',
      decision: 'published',
      actorId: mod.id,
      createdAt: t + 5,
    })
    await event('video', video, {
      source: 'machine',
      decision: 'published',
      scores: {},
      createdAt: t + 6,
    })

    const bySubject = await call('GET', `/api/admin/history?subjectId=${c}`, { user: mod })
    expect(bySubject.status).toBe(200)
    expect(bySubject.json.events.map((e: JsonAny) => e.decision)).toEqual(['published', 'held'])
    expect(bySubject.json.events[0]).toMatchObject({
      source: 'human',
      actor: { id: mod.id, username: mod.username },
      category: 'HR',
      subject: { label: 'a comment', status: 'held' },
    })

    const byActor = await call('GET', `/api/admin/history?actor=${mod.username}`, { user: mod })
    expect(byActor.json.events).toHaveLength(1)
    expect(byActor.json.events[0].subjectId).toBe(c)

    const byCategory = await call('GET', `/api/admin/history?category=HR&subjectType=comment`, {
      user: mod,
    })
    const ids = byCategory.json.events.map((e: JsonAny) => e.subjectId)
    expect(ids).toContain(c)
    expect(byCategory.json.events.every((e: JsonAny) => e.category === 'HR')).toBe(true)

    const machineOnly = await call(
      'GET',
      `/api/admin/history?subjectId=${c}&source=machine&decision=held`,
      { user: mod },
    )
    expect(machineOnly.json.events).toHaveLength(1)

    const window = await call(
      'GET',
      `/api/admin/history?subjectId=${c}&from=${t + 1}&to=${t + 10}`,
      { user: mod },
    )
    expect(window.json.events.map((e: JsonAny) => e.decision)).toEqual(['published'])

    const page1 = await call('GET', `/api/admin/history?subjectId=${c}&limit=1`, { user: mod })
    expect(page1.json.events).toHaveLength(1)
    expect(page1.json.nextCursor).toEqual(expect.any(String))
    const page2 = await call(
      'GET',
      `/api/admin/history?subjectId=${c}&limit=1&cursor=${page1.json.nextCursor}`,
      { user: mod },
    )
    expect(page2.json.events[0].decision).toBe('held')
    expect(page2.json.nextCursor).toBeNull()

    const unknownActor = await call('GET', '/api/admin/history?actor=nobody-at-all', { user: mod })
    expect(unknownActor.json.events).toEqual([])
  })

  it("shows a subject's full timeline with its reports", async () => {
    const creator = await makeUser()
    const reporter = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id, { status: 'in_review', title: 'Timeline clip' })
    await event('video', video, { source: 'machine', decision: 'in_review', createdAt: 1 })
    await event('video', video, {
      source: 'human',
      decision: 'approve',
      actorId: mod.id,
      createdAt: 2,
    })
    await db().insert(reports).values({
      id: newId(),
      reporterId: reporter.id,
      subjectType: 'video',
      subjectId: video,
      reason: 'spam',
    })
    const res = await call('GET', `/api/admin/subjects/video/${video}/timeline`, { user: mod })
    expect(res.status).toBe(200)
    expect(res.json.subject).toMatchObject({ label: 'Timeline clip', status: 'in_review' })
    expect(res.json.events.map((e: JsonAny) => e.decision)).toEqual(['in_review', 'approve'])
    expect(res.json.events[1].actor.username).toBe(mod.username)
    expect(res.json.reports).toHaveLength(1)
    const missing = await call('GET', '/api/admin/subjects/video/nope/timeline', { user: mod })
    expect(missing.status).toBe(404)
  })

  it('groups open reports by subject and resolves or dismisses them with an audit event', async () => {
    const creator = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const video = await makeVideo(creator.id)
    const other = await makeVideo(creator.id)
    const reporters = [await makeUser(), await makeUser(), await makeUser()]
    for (const [i, r] of reporters.entries()) {
      await db()
        .insert(reports)
        .values({
          id: newId(),
          reporterId: r.id,
          subjectType: 'video',
          subjectId: video,
          reason: i < 2 ? 'spam' : 'hate',
        })
    }
    await db()
      .insert(reports)
      .values({
        id: newId(),
        reporterId: reporters[0]?.id ?? '',
        subjectType: 'video',
        subjectId: other,
        reason: 'violence',
      })
    const list = await call('GET', '/api/admin/reports', { user: mod })
    expect(list.status).toBe(200)
    const group = list.json.groups.find((g: JsonAny) => g.subjectId === video)
    expect(group).toMatchObject({
      subjectType: 'video',
      count: 3,
      reasons: { spam: 2, hate: 1 },
      subject: { status: 'published', owner: { username: creator.username } },
    })
    expect(group.details).toHaveLength(3)
    const order = list.json.groups.map((g: JsonAny) => g.subjectId)
    expect(order.indexOf(video)).toBeLessThan(order.indexOf(other))

    const dismissed = await call('POST', '/api/admin/reports/resolve', {
      user: mod,
      body: { subjectType: 'video', subjectId: video, action: 'dismiss', reason: 'not spam' },
    })
    expect(dismissed.json).toEqual({ state: 'dismissed', closed: 3 })
    const acted = await call('POST', '/api/admin/reports/resolve', {
      user: mod,
      body: { subjectType: 'video', subjectId: other, action: 'act', reason: 'took it down' },
    })
    expect(acted.json).toEqual({ state: 'resolved', closed: 1 })

    const rows = await db().select().from(reports).where(eq(reports.subjectId, video))
    expect(rows.every((r) => r.state === 'dismissed' && r.resolvedBy === mod.id)).toBe(true)
    const audit = await db()
      .select()
      .from(moderationEvents)
      .where(and(eq(moderationEvents.subjectId, other), eq(moderationEvents.actorId, mod.id)))
    expect(audit.map((e) => [e.decision, e.explanation])).toEqual([
      ['reports_resolved', 'took it down'],
    ])
    const after = await call('GET', '/api/admin/reports', { user: mod })
    expect(after.json.groups.some((g: JsonAny) => g.subjectId === video)).toBe(false)
    const again = await call('POST', '/api/admin/reports/resolve', {
      user: mod,
      body: { subjectType: 'video', subjectId: video, action: 'dismiss', reason: 'twice' },
    })
    expect(again.status).toBe(404)
  })
})

describe('admin API: errors', () => {
  it('needs a reason of at least 3 characters and valid filters', async () => {
    const admin = await makeUser({ role: 'admin' })
    const target = await makeUser()
    const res = await call('POST', `/api/admin/users/${target.id}/ban`, {
      user: admin,
      body: { reason: 'x' },
    })
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('invalid_input')
    const bad = await call('GET', '/api/admin/history?from=not-a-date', { user: admin })
    expect(bad.status).toBe(400)
    const badCategory = await call('GET', '/api/admin/history?category=ZZ', { user: admin })
    expect(badCategory.status).toBe(400)
  })
})

describe('signals', () => {
  it('reads the main category from comment and video scores', () => {
    expect(mainCategory(JSON.stringify({ H: 0.2, HR: 0.9 }))).toBe('HR')
    expect(mainCategory(JSON.stringify({ S: { gemini: 0.1, frames: { max: 0.95 } } }))).toBe('S')
    expect(mainCategory(JSON.stringify({ scores: { V: { text: 0.7 } } }))).toBe('V')
    expect(mainCategory(JSON.stringify({ H: 0.2 }))).toBe('OK')
    // What video decisions store: signal-major, frame aggregates with a max.
    const video = { gemini: { S: 0.1, V: 0.3 }, frames: { S: { max: 0.2 } }, text: { V: 0.8 } }
    expect(mainCategory(JSON.stringify(video))).toBe('V')
    expect(mainCategory(JSON.stringify({ gemini: null, frames: { S: { max: 0.9 } } }))).toBe('S')
    // A fired threshold names the category even below 0.5.
    const triggered = {
      text: { HR: 0.49, V: 0.3 },
      triggers: [{ signal: 'text', category: 'HR', score: 0.49, level: 'review' }],
    }
    expect(mainCategory(JSON.stringify(triggered))).toBe('HR')
    expect(mainCategory('not json')).toBe('OK')
  })

  it('counts an overturn only when the machine decided and the human decided otherwise', () => {
    expect(isOverturn('rejected', 'approve')).toBe(true)
    expect(isOverturn('published', 'rejected')).toBe(true)
    expect(isOverturn('held', 'published')).toBe(false)
    expect(isOverturn('rejected', 'reject')).toBe(false)
    const stats = decisionStats([
      {
        subjectType: 'comment',
        subjectId: 'a',
        source: 'machine',
        decision: 'published',
        scores: '{"H":0.6}',
        createdAt: 1,
      },
      {
        subjectType: 'comment',
        subjectId: 'a',
        source: 'human',
        decision: 'rejected',
        scores: null,
        createdAt: 2,
      },
      {
        subjectType: 'comment',
        subjectId: 'a',
        source: 'human',
        decision: 'published',
        scores: null,
        createdAt: 3,
      },
    ])
    expect(stats).toEqual([
      { category: 'H', machine: 1, human: 2, overturns: 1, overturnRate: 0.5 },
    ])
  })
})
