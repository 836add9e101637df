import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { and, asc, eq } from 'drizzle-orm'
import worker from '../../index'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { geminiEnv, requestsSeen, script } from '../../../test/moderation-fixtures'
import { SAFE_VERDICT } from '../../../test/gemini-standin.mjs'
import { comments, moderationEvents, users, videos } from '../../db/schema'
import { secondOpinionOnComment } from './second-opinion'

describe('comment moderation in the request', () => {
  it('a benign comment is published at once; a threat is blocked with its category; only the author sees it', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const other = await makeUser()
    const video = await makeVideo(creator.id)
    const benign = await call('POST', `/api/videos/${video}/comments`, {
      user: author,
      body: { body: 'This recipe is lovely, thanks for sharing!' },
    })
    expect(benign.json.moderation.status).toBe('published')
    const threat = await call('POST', `/api/videos/${video}/comments`, {
      user: author,
      body: { body: 'I will find you and kill you' },
    })
    expect(['held', 'rejected']).toContain(threat.json.moderation.status)
    expect(threat.json.moderation.reason).toMatch(/violence/)
    // Words, not numbers: the author never learns how close a text came to a threshold.
    expect(threat.json.moderation).toEqual({
      status: threat.json.moderation.status,
      reason: expect.not.stringMatching(/\d/),
    })
    const harassment = await call('POST', `/api/videos/${video}/comments`, {
      user: author,
      body: { body: 'you are pathetic and stupid' },
    })
    expect(['held', 'rejected']).toContain(harassment.json.moderation.status)
    expect(harassment.json.moderation.reason).toMatch(/harassment/)
    const seenByOther = await call('GET', `/api/videos/${video}/comments`, { user: other })
    expect(seenByOther.json.comments.map((c: { id: string }) => c.id)).toEqual([
      benign.json.comment.id,
    ])
    const seenByAuthor = await call('GET', `/api/videos/${video}/comments`, { user: author })
    expect(seenByAuthor.json.comments).toHaveLength(3)
    const [event] = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, threat.json.comment.id))
    expect(event?.modelVersion).toMatch(/^comments-/)
    expect(JSON.parse(event?.scores ?? '{}').V).toBeGreaterThan(0.5)
    const [v] = await db().select().from(videos).where(eq(videos.id, video))
    expect(v?.commentCount).toBe(1)
  })
})

describe('second opinion on held comments (Gemini stand-in)', () => {
  it('is logged for moderators and holds a published borderline comment the second model flags', async () => {
    const creator = await makeUser()
    const author = await makeUser()
    const video = await makeVideo(creator.id)
    const id = crypto.randomUUID()
    await db().insert(comments).values({
      id,
      videoId: video,
      authorId: author.id,
      body: 'borderline words',
      status: 'published',
    })
    const { env: e, model } = geminiEnv()
    await script(model, [
      {
        kind: 'verdict',
        verdict: {
          ...SAFE_VERDICT,
          categories: {
            ...SAFE_VERDICT.categories,
            HR: { score: 0.92, timestamps: [], explanation: 'Insults the creator.' },
          },
        },
      },
    ])
    expect(await secondOpinionOnComment(e, id)).toBe('flagged')
    const [row] = await db().select().from(comments).where(eq(comments.id, id))
    expect(row?.status).toBe('held')
    const [event] = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, id))
    expect(event).toMatchObject({ source: 'machine', decision: 'second-opinion:violation', model })
    expect((await requestsSeen(model))[0]?.texts.join(' ')).toMatch(/borderline words/)
    // Without a key nothing is asked.
    expect(await secondOpinionOnComment(env, id)).toBe('not-configured')
  })

  it('without a Gemini key, Workers AI (Llama Guard) gives the second opinion when bound', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    const calls: { model: string; input: unknown }[] = []
    // A stand-in for the remote AI binding with Llama Guard's answer shapes.
    const answers = [{ response: { safe: false, categories: ['S10'] } }, { response: 'safe' }]
    const ai = {
      run: async (model: string, input: unknown) => {
        calls.push({ model, input })
        return answers.shift()
      },
    }
    const withAi = { ...env, AI: ai } as unknown as Env
    const hateful = crypto.randomUUID()
    const fine = crypto.randomUUID()
    for (const id of [hateful, fine]) {
      await db()
        .insert(comments)
        .values({
          id,
          videoId: video,
          authorId: creator.id,
          body: `text ${id}`,
          status: 'published',
        })
    }
    expect(await secondOpinionOnComment(withAi, hateful)).toBe('flagged')
    expect(await secondOpinionOnComment(withAi, fine)).toBe('ok')
    expect(calls[0]?.model).toBe('@cf/meta/llama-guard-3-8b')
    expect(JSON.stringify(calls[0]?.input)).toContain(`text ${hateful}`)
    const [held] = await db().select().from(comments).where(eq(comments.id, hateful))
    expect(held?.status).toBe('held')
    expect(held?.reason).toBe('Held for review: likely hate speech (second check)')
    const [kept] = await db().select().from(comments).where(eq(comments.id, fine))
    expect(kept?.status).toBe('published')
    const [event] = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, hateful))
    expect(event).toMatchObject({
      decision: 'second-opinion:violation',
      model: '@cf/meta/llama-guard-3-8b',
    })
  })

  it('the queue consumer handles second-opinion messages', async () => {
    const batch = createMessageBatch('clipstream-moderation', [
      {
        id: '1',
        timestamp: new Date(),
        attempts: 1,
        body: { type: 'comment-second-opinion', commentId: 'nope' },
      },
    ])
    const ctx = createExecutionContext()
    await worker.queue(batch, env)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1)
  })
})

describe('human review API', () => {
  it('lists videos in review oldest first with frames, signals and playable links', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const creator = await makeUser()
    const older = await makeVideo(creator.id, { status: 'in_review' })
    await db()
      .update(videos)
      .set({
        statusChangedAt: 1,
        media: JSON.stringify({
          frames: [{ path: 'frames/0001.jpg', timeSeconds: 0, scores: { Porn: 0.7 } }],
        }),
      })
      .where(eq(videos.id, older))
    await db()
      .insert(moderationEvents)
      .values({
        id: crypto.randomUUID(),
        subjectType: 'video',
        subjectId: older,
        source: 'machine',
        decision: 'in_review',
        scores: JSON.stringify({ frames: { S: { max: 0.7 } } }),
        explanation: 'A moderator will review this video',
      })
    const res = await call('GET', '/api/moderation/videos', { user: mod })
    expect(res.status).toBe(200)
    const first = res.json.videos[0]
    expect(first.id).toBe(older)
    // Absolute links from configuration; they carry no grant (the session decides).
    expect(first.frames[0].url).toBe(`${env.APP_ORIGIN}/media/videos/${first.id}/frames/0001.jpg`)
    expect(first.playlistUrl).toMatch(/master\.m3u8$/)
    expect(first.decision.scores.frames.S.max).toBe(0.7)
  })

  it('approve publishes, reject hides, restore re-opens; bulk; every action logged with the moderator; the machine’s decision kept', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const creator = await makeUser()
    const a = await makeVideo(creator.id, { status: 'in_review' })
    const b = await makeVideo(creator.id, { status: 'in_review' })
    await db().insert(moderationEvents).values({
      id: crypto.randomUUID(),
      subjectType: 'video',
      subjectId: a,
      source: 'machine',
      decision: 'in_review',
    })
    const approve = await call('POST', '/api/moderation/videos/decisions', {
      user: mod,
      body: { videoIds: [a, b], action: 'approve', reason: 'Cooking demo, fine' },
    })
    expect(approve.json.results).toEqual([
      { id: a, status: 'published' },
      { id: b, status: 'published' },
    ])
    expect((await call('GET', `/api/videos/${a}`)).status).toBe(200)
    await call('POST', '/api/moderation/videos/decisions', {
      user: mod,
      body: { videoIds: [a], action: 'reject', reason: 'Reported spam link' },
    })
    expect((await call('GET', `/api/videos/${a}`)).status).toBe(404)
    const own = await call('GET', `/api/videos/${a}`, { user: creator })
    expect(own.json.video.statusReason).toBe('Rejected by a moderator: Reported spam link')
    await call('POST', '/api/moderation/videos/decisions', {
      user: mod,
      body: { videoIds: [a], action: 'restore', reason: 'Second look' },
    })
    const [row] = await db().select().from(videos).where(eq(videos.id, a))
    expect(row?.status).toBe('in_review')
    const events = await db()
      .select()
      .from(moderationEvents)
      .where(eq(moderationEvents.subjectId, a))
      .orderBy(asc(moderationEvents.createdAt))
    expect(events.map((e) => `${e.source}:${e.decision}`)).toEqual([
      'machine:in_review',
      'human:published',
      'human:rejected',
      'human:in_review',
    ])
    expect(events.filter((e) => e.source === 'human').every((e) => e.actorId === mod.id)).toBe(true)
    const bad = await call('POST', '/api/moderation/videos/decisions', {
      user: mod,
      body: { videoIds: [a], action: 'approve', reason: '' },
    })
    expect(bad.status).toBe(400)
  })

  it('comment queue: bulk approve and reject, counts follow', async () => {
    const mod = await makeUser({ role: 'admin' })
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    const ids = [crypto.randomUUID(), crypto.randomUUID()]
    for (const id of ids)
      await db()
        .insert(comments)
        .values({
          id,
          videoId: video,
          authorId: creator.id,
          body: 'held one',
          status: 'held',
          scores: JSON.stringify({ HR: 0.4 }),
        })
    const queue = await call('GET', '/api/moderation/comments', { user: mod })
    expect(queue.json.comments.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(ids),
    )
    await call('POST', '/api/moderation/comments/decisions', {
      user: mod,
      body: { commentIds: ids, action: 'approve', reason: 'Harmless banter' },
    })
    const [v] = await db().select().from(videos).where(eq(videos.id, video))
    expect(v?.commentCount).toBe(2)
    await call('POST', '/api/moderation/comments/decisions', {
      user: mod,
      body: { commentIds: [ids[0]], action: 'reject', reason: 'On second read, insulting' },
    })
    const [v2] = await db().select().from(videos).where(eq(videos.id, video))
    expect(v2?.commentCount).toBe(1)
    const logged = await db()
      .select()
      .from(moderationEvents)
      .where(and(eq(moderationEvents.subjectType, 'comment'), eq(moderationEvents.actorId, mod.id)))
    expect(logged).toHaveLength(3)
  })

  it('only moderators and admins reach the review API; only admins change thresholds', async () => {
    const user = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const admin = await makeUser({ role: 'admin' })
    expect((await call('GET', '/api/moderation/videos', { user })).status).toBe(403)
    expect((await call('GET', '/api/moderation/comments')).status).toBe(401)
    const policies = await call('GET', '/api/moderation/policies', { user: mod })
    const thresholds = policies.json.comment.thresholds
    expect(
      (await call('PUT', '/api/moderation/policies/comment', { user: mod, body: { thresholds } }))
        .status,
    ).toBe(403)
    const saved = await call('PUT', '/api/moderation/policies/comment', {
      user: admin,
      body: { thresholds: { ...thresholds, HR: { hold: 0.9, reject: null } }, note: 'fewer holds' },
    })
    expect(saved.status).toBe(200)
    const after = await call('GET', '/api/moderation/policies', { user: mod })
    expect(after.json.comment.version).toBe(saved.json.policy.version)
    expect(after.json.comment.thresholds.HR.hold).toBe(0.9)
    const invalid = await call('PUT', '/api/moderation/policies/video', {
      user: admin,
      body: { thresholds: { gemini: {} } },
    })
    expect(invalid.status).toBe(400)
  })

  it('previews how many recent decisions new thresholds would change', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const subject = crypto.randomUUID()
    await db()
      .insert(moderationEvents)
      .values({
        id: crypto.randomUUID(),
        subjectType: 'comment',
        subjectId: subject,
        source: 'machine',
        decision: 'held',
        scores: JSON.stringify({ S: 0, H: 0, V: 0, HR: 0.35, SH: 0, S3: 0, H2: 0, V2: 0 }),
      })
    const policies = await call('GET', '/api/moderation/policies', { user: mod })
    const lax = { ...policies.json.comment.thresholds, HR: { hold: 0.99, reject: null } }
    const preview = await call('POST', '/api/moderation/policies/comment/preview', {
      user: mod,
      body: { thresholds: lax, last: 5000 },
    })
    expect(preview.status).toBe(200)
    expect(preview.json.changes).toContainEqual({
      subjectId: subject,
      from: 'held',
      to: 'published',
      label: null,
    })
  })

  it('lists a subject decided several times once, at its latest decision, with its text', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const author = await makeUser()
    const video = await makeVideo(author.id)
    const comment = crypto.randomUUID()
    const body = `ref is blind lol ${comment.slice(0, 8)}`
    await db()
      .insert(comments)
      .values({ id: comment, videoId: video, authorId: author.id, body, status: 'held' })
    const scores = (hr: number) =>
      JSON.stringify({ S: 0, H: 0, V: 0, HR: hr, SH: 0, S3: 0, H2: 0, V2: 0 })
    const at = Date.now()
    // Checked four times (an edit, reports): held three times, published at first.
    await db()
      .insert(moderationEvents)
      .values(
        [
          { decision: 'published', hr: 0.1, age: 4 },
          { decision: 'held', hr: 0.35, age: 3 },
          { decision: 'held', hr: 0.36, age: 2 },
          { decision: 'held', hr: 0.37, age: 1 },
        ].map((e) => ({
          id: crypto.randomUUID(),
          subjectType: 'comment' as const,
          subjectId: comment,
          source: 'machine' as const,
          decision: e.decision,
          scores: scores(e.hr),
          createdAt: at - e.age * 1000,
        })),
      )
    const policies = await call('GET', '/api/moderation/policies', { user: mod })
    const lax = { ...policies.json.comment.thresholds, HR: { hold: 0.99, reject: null } }
    const preview = await call('POST', '/api/moderation/policies/comment/preview', {
      user: mod,
      body: { thresholds: lax, last: 5000 },
    })
    expect(preview.status).toBe(200)
    const mine = preview.json.changes.filter((x: { subjectId: string }) => x.subjectId === comment)
    expect(mine).toEqual([{ subjectId: comment, from: 'held', to: 'published', label: body }])
    const ids = preview.json.changes.map((x: { subjectId: string }) => x.subjectId)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('reports send a published video back to review', () => {
  it('after REPORTS_TO_REVIEW trusted reporters, hidden meanwhile', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    const limit = Number(env.REPORTS_TO_REVIEW)
    for (let i = 0; i < limit; i++) {
      const reporter = await makeUser()
      // Established accounts: new ones do not count toward escalation.
      await db()
        .update(users)
        .set({ createdAt: Date.now() - 30 * 24 * 60 * 60 * 1000 })
        .where(eq(users.id, reporter.id))
      expect((await call('GET', `/api/videos/${video}`)).status).toBe(200)
      await call('POST', '/api/reports', {
        user: reporter,
        body: { subjectType: 'video', subjectId: video, reason: 'hate' },
      })
    }
    const [row] = await db().select().from(videos).where(eq(videos.id, video))
    expect(row?.status).toBe('in_review')
    expect((await call('GET', `/api/videos/${video}`)).status).toBe(404)
  })
})
