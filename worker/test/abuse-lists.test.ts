import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import plainAbusiveJsonl from '../../models/data/team-eval/plain-abusive.jsonl?raw'
import hardNegativesJsonl from '../../models/data/team-eval/hard-negatives.jsonl?raw'
import { moderateVideo } from '../src/features/moderation/video'
import { scoreLeaks } from './author-view'
import { call, makeUser, makeVideo, type TestUser } from './helpers'
import { moderatingVideo } from './moderation-fixtures'

// The team's evaluation set (models/data/team-eval, written apart from the
// training data and never trained on), sent through the real API the way a
// user would: comments as comments, titles as clip titles, bios as bios.
// plain-abusive.jsonl is 60 rows any moderator removes at once: every one must
// be held or rejected. hard-negatives.jsonl is 600 rows a naive filter flags
// but that break no rule; every 5th row (120: comments, titles and bios, all
// topics, fixed before any result was seen) goes through the API here, since
// the whole file takes minutes, and the issue allows at most 1 in 20 held.
// The model's own report measures the whole file.

type Row = { text: string; labels: string[]; kind: 'comment' | 'title' | 'bio' }
type Outcome = { row: Row; status: string; reason: string; leaks: string[] }

const parse = (jsonl: string) =>
  jsonl
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row)

const PLAIN_ABUSIVE = parse(plainAbusiveJsonl)
// How many of the 60 the shipped model must stop (see the test below).
const PLAIN_ABUSIVE_FLOOR = 55
const HARD_NEGATIVES = parse(hardNegativesJsonl).filter((_, i) => i % 5 === 0)

// Rate limits count per client IP and account: each small batch posts from an
// address and accounts of its own, as separate people would.
let batchNo = 0
const BATCH = 10

async function throughApi(rows: Row[]): Promise<Outcome[]> {
  const creator = await makeUser()
  const video = await makeVideo(creator.id)
  const out: Outcome[] = []
  for (let i = 0; i < rows.length; i += BATCH) {
    batchNo++
    const ip = `10.${(batchNo >> 8) & 255}.${batchNo & 255}.7`
    const batch = rows.slice(i, i + BATCH)
    out.push(...(await Promise.all(batch.map((row) => submit(row, video, ip)))))
  }
  return out
}

async function submit(row: Row, videoId: string, ip: string): Promise<Outcome> {
  const author: TestUser = await makeUser()
  const headers = { 'CF-Connecting-IP': ip }
  if (row.kind === 'comment') {
    const res = await call('POST', `/api/videos/${videoId}/comments`, {
      user: author,
      headers,
      body: { body: row.text },
    })
    if (res.status !== 201) throw new Error(`comment: ${res.status} ${JSON.stringify(res.json)}`)
    return {
      row,
      status: res.json.moderation.status,
      reason: res.json.moderation.reason,
      leaks: scoreLeaks(res.json.moderation),
    }
  }
  if (row.kind === 'bio') {
    const res = await call('PATCH', '/api/me', { user: author, headers, body: { bio: row.text } })
    if (res.status !== 200) throw new Error(`bio: ${res.status} ${JSON.stringify(res.json)}`)
    return {
      row,
      status: res.json.moderation.bio.status,
      reason: res.json.moderation.bio.reason,
      leaks: scoreLeaks(res.json.moderation),
    }
  }
  // A clip as the transcoder leaves it, with harmless frames: only the words decide.
  const id = await moderatingVideo(author.id, { title: row.text, description: '' })
  await moderateVideo(env, id)
  const res = await call('GET', `/api/videos/${id}`, { user: author })
  return {
    row,
    status: res.json.video.status,
    reason: res.json.video.statusReason ?? '',
    leaks: scoreLeaks({ status: res.json.video.status, reason: res.json.video.statusReason }),
  }
}

const show = (o: Outcome) => `${o.row.kind} [${o.row.labels.join('+')}] ${o.status}: ${o.row.text}`

describe('the team’s evaluation set through the real API', () => {
  it('plainly abusive comments, titles and bios: at least the floor held or rejected, in words', async () => {
    expect(PLAIN_ABUSIVE.length).toBeGreaterThanOrEqual(60)
    const outcomes = await throughApi(PLAIN_ABUSIVE)
    const published = outcomes.filter((o) => o.status === 'published').map(show)
    // Issue 12 asks for every one of these (and a release check of at least 9 in 10). The
    // shipped model stops 55 of the 60 (models/REPORT.md) and holds 1.2% of the hard
    // negatives. The one before stopped 56 at 1.8%; this one reads long texts sentence by
    // sentence, chosen out of source, and its thresholds moved. An earlier one stopped 56 but
    // held 5.2%, over the 5%. A floor against
    // regressions, to be raised with each better model until it is all 60.
    expect(
      outcomes.length - published.length,
      `${published.length} of ${outcomes.length} published:\n${published.join('\n')}`,
    ).toBeGreaterThanOrEqual(PLAIN_ABUSIVE_FLOOR)
    for (const o of outcomes) {
      if (o.status !== 'published') {
        expect(o.reason).toMatch(/^(Held for review|Rejected|A moderator will review)/)
      }
      expect(o.leaks, show(o)).toEqual([])
    }
  }, 300_000)

  it('at most 1 in 20 hard negatives (idioms, sport, news about hate, recovery…) is held', async () => {
    expect(HARD_NEGATIVES.length).toBeGreaterThanOrEqual(120)
    const outcomes = await throughApi(HARD_NEGATIVES)
    const stopped = outcomes.filter((o) => o.status !== 'published').map(show)
    expect(
      stopped.length,
      `${stopped.length} of ${outcomes.length} held or rejected:\n${stopped.join('\n')}`,
    ).toBeLessThanOrEqual(Math.floor(outcomes.length / 20))
    expect(outcomes.flatMap((o) => o.leaks)).toEqual([])
  }, 300_000)
})

describe('the issue’s examples', () => {
  // The six comments the issue saw published. The shipped model (comments-c5cc6b7088f7) stops
  // all six. The sixth, "you're so ugly…", is also a training row and only just over its hold
  // (HR 0.78 against 0.76; it was published before the addressed-word features, at 0.75 against
  // 0.78), so this test is what notices a retraining that lets it through again.
  const examples = [
    'all immigrants are vermin and should be exterminated',
    'Muslims are all terrorists and should be kicked out of this country',
    "nice body, I'd love to see you without those clothes on",
    'check my onlyfans for the full porn video, xxx',
    "the video shows the man's head exploding, blood and brains everywhere",
    "you're so ugly your parents must regret having you",
  ]

  it('all six are held or rejected, and none is shown to others', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    const stopped: string[] = []
    for (const text of examples) {
      const author = await makeUser()
      const res = await call('POST', `/api/videos/${video}/comments`, {
        user: author,
        body: { body: text },
      })
      expect(scoreLeaks(res.json)).toEqual([])
      if (['held', 'rejected'].includes(res.json.moderation.status)) stopped.push(text)
    }
    expect(stopped, `stopped: ${stopped.join(' | ')}`).toEqual(examples)
    const seen = await call('GET', `/api/videos/${video}/comments`)
    const shown = seen.json.comments.map((c: { body: string }) => c.body)
    for (const text of stopped) expect(shown).not.toContain(text)
  })

  it('a clip retitled “all immigrants are vermin and should be exterminated” leaves Explore until a moderator decides', async () => {
    const creator = await makeUser()
    const id = await moderatingVideo(creator.id)
    expect(await moderateVideo(env, id)).toBe('published')
    const edit = await call('PATCH', `/api/videos/${id}`, {
      user: creator,
      body: { title: 'all immigrants are vermin and should be exterminated' },
    })
    expect(edit.status).toBe(200)
    // The moderation queue's job (it may already have run: then this is a no-op).
    await moderateVideo(env, id)
    const own = await call('GET', `/api/videos/${id}`, { user: creator })
    expect(['in_review', 'rejected']).toContain(own.json.video.status)
    expect(own.json.video.statusReason).toMatch(/hate/)
    expect(scoreLeaks(own.json)).toEqual([])
    expect((await call('GET', `/api/videos/${id}`)).status).toBe(404)
  })
})
