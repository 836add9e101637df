// The admin API as the layout walk-through sees it (layout.shots.ts): one of everything each page
// lists, in the Worker's shapes, answered at the network boundary, so the pages can be measured
// and shot without starting the platform.
import type { Route } from 'playwright-core'
import { accountRecord, answerJson } from '../../scripts/shots.mjs'

export const UI_PORT = 5199
export const UI = `http://127.0.0.1:${UI_PORT}`
export const API = 'http://127.0.0.1:5198'

const admin = accountRecord({
  id: 'a1',
  username: 'admin_ada',
  email: 'ada@example.com',
  role: 'admin',
  displayName: 'Ada',
})

const now = Date.now()
const cats = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2']
const per = <T>(v: (c: string, i: number) => T) =>
  Object.fromEntries(cats.map((c, i) => [c, v(c, i)]))

// A 24 s clip with a frame a second, as the pipeline stores them.
function queueVideo(id: string, title: string, status: string, changedAgo: number) {
  return {
    id,
    title,
    description: 'Abstract fractal zoom, generated.',
    status,
    statusReason: status === 'rejected' ? 'Rejected: sexual content' : 'Held: frame check S 0.96',
    createdAt: now - changedAgo - 60_000,
    statusChangedAt: now - changedAgo,
    durationSeconds: 24,
    creator: { id: 'u1', username: 'maya' },
    posterUrl: null,
    playlistUrl: null,
    frames: Array.from({ length: 24 }, (_, t) => ({
      url: `${API}/f/${id}/${t}.jpg`,
      timeSeconds: t,
      scores: { Porn: t % 7 === 0 ? 0.9 : 0.05, Sexy: 0.1, Neutral: 0.8 },
    })),
    decision: {
      source: 'machine',
      decision: 'in_review',
      scores: {
        gemini: per((_, i) => 0.05 + i * 0.03),
        geminiTimestamps: { S: [6, 7, 8] },
        frames: {
          S: { min: 0.01, max: 0.96, mean: 0.3, median: 0.2, over90: 3, under10: 18 },
          suggestive: { min: 0.02, max: 0.4, mean: 0.1, median: 0.08, over90: 0, under10: 20 },
        },
        text: per(() => 0.02),
        triggers: [{ signal: 'frames', category: 'S', score: 0.96, level: 'review', at: 0.6 }],
      },
      explanation:
        'Frames: the classifier scored frames at 0:06, 0:07 and 0:08 as sexual (0.96); Gemini saw an abstract fractal animation with no people.',
      model: JSON.stringify({
        frames: { name: 'nsfwjs', version: '4.3.0' },
        gemini: { model: 'gemini-2.5-flash' },
      }),
      modelVersion: '1',
      policyVersion: 3,
      createdAt: now - changedAgo,
    },
    appeal: null,
  }
}

const videos = {
  in_review: [
    queueVideo('v1', 'Fractal zoom, twenty-two seconds of it', 'in_review', 8_000),
    queueVideo('v2', 'Skate park at dusk', 'in_review', 3_600_000),
  ],
  rejected: [queueVideo('v3', 'Beach party', 'rejected', 8_000)],
}
const comment = {
  id: 'k1',
  body: 'ref is blind lol',
  status: 'held',
  reason: 'Held for review: HR 0.71',
  scores: { HR: 0.71, H: 0.2, S: 0.01 },
  modelVersion: 'm1',
  createdAt: now - 600_000,
  author: { id: 'u2', username: 'sam' },
  video: { id: 'v1', title: 'Skate clip' },
  appeal: null,
}
const creator = {
  user: { id: 'u1', username: 'maya', role: 'user', banned: false, createdAt: 0 },
  videos: { published: 3, rejected: 1 },
  comments: { published: 40 },
  priorRejections: { videos: [], comments: [] },
  reportsAgainstUser: 0,
}
const day = (i: number) => new Date(now - (13 - i) * 86_400_000).toISOString().slice(0, 10)
const overview = {
  generatedAt: now,
  windowDays: 14,
  waiting: {
    videos: { count: 2, oldestAt: now - 3_600_000 },
    comments: { count: 1, oldestAt: now - 600_000 },
    reports: { count: 0, oldestAt: null },
  },
  days: Array.from({ length: 14 }, (_, i) => ({
    day: day(i),
    uploads: 3 + (i % 4),
    publications: 2 + (i % 3),
    rejections: i % 2,
    holds: i % 3,
    views: 40 + i * 5,
    likes: 10 + i,
    comments: 4 + (i % 5),
  })),
  decisions: cats.map((c, i) => ({
    category: c,
    machine: 10 - i,
    human: i % 3,
    overturns: i % 2,
    overturnRate: i % 2 ? 0.5 : 0,
  })),
  // No rebuild has run yet: the fresh platform before its first 03:00.
  recommendations: null,
}
const rb = (review: number | null, block: number | null) => ({ review, block })
const policies = {
  video: {
    version: 4,
    createdAt: now - 86_400_000,
    thresholds: {
      gemini: per(() => rb(0.5, 0.85)),
      frames: { S: rb(0.6, 0.97), suggestive: rb(0.85, null) },
      text: per(() => rb(0.5, 0.95)),
    },
  },
  comment: { version: 5, createdAt: now, thresholds: per(() => ({ hold: 0.5, reject: 0.9 })) },
}
const preview = {
  evaluated: 38,
  changed: 3,
  changes: [
    {
      subjectId: 'v1',
      label: 'Fractal zoom, twenty-two seconds of it',
      from: 'in_review',
      to: 'published',
    },
    { subjectId: 'v2', label: 'Skate park at dusk', from: 'published', to: 'in_review' },
    { subjectId: 'v9', label: null, from: 'rejected', to: 'in_review' },
  ],
}

// A stand-in frame: a gradient whose hue moves with the time, so the strip reads as a clip.
function frameSvg(t: number) {
  const hue = (t * 15) % 360
  return `<svg xmlns="http://www.w3.org/2000/svg" width="90" height="160"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 45%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360} 70% 25%)"/></linearGradient></defs><rect width="90" height="160" fill="url(#g)"/></svg>`
}

// The other pages, for the sideways-scroll check on a phone.
const historyEvent = (id: string, over: Record<string, unknown>) => ({
  id,
  subjectType: 'video',
  subjectId: 'v1',
  source: 'machine',
  actor: null,
  decision: 'in_review',
  category: 'S',
  categoryChosen: false,
  scores: null,
  categoryScores: { S: 0.96 },
  explanation: 'Frames: sexual around 0:06 (0.96)',
  model: 'nsfwjs 4.3.0',
  modelVersion: '1',
  policyVersion: 3,
  createdAt: now - 60_000,
  subject: { label: 'Fractal zoom, twenty-two seconds of it', status: 'in_review' },
  ...over,
})
const history = {
  events: [
    historyEvent('e1', {}),
    historyEvent('e2', {
      source: 'human',
      actor: { id: 'm', username: 'mod_mia' },
      decision: 'rejected',
      category: 'HR',
      categoryChosen: true,
      explanation: 'insults a named person in the title',
      subjectId: 'v3',
      subject: { label: 'x'.repeat(200), status: 'rejected' },
    }),
  ],
  nextCursor: null,
}
const reports = {
  groups: [
    {
      subjectType: 'video',
      subjectId: 'v1',
      count: 3,
      reasons: { spam: 2, harassment: 1 },
      details: [{ reason: 'spam', details: 'same clip posted ten times', at: now - 3_600_000 }],
      firstAt: now - 3_600_000,
      lastAt: now - 60_000,
      subject: {
        label: 'Free followers '.repeat(8),
        status: 'published',
        owner: { id: 'u1', username: 'spammy' },
      },
    },
  ],
}
const profiles = {
  changes: [
    {
      id: 'pc1',
      field: 'bio',
      text: 'a bio the classifier held, with a link-like unbrokenwordthatgoesonandonandonandon',
      current: 'I bake bread',
      status: 'held',
      reason: 'Held for review: likely hate speech',
      scores: { H: 0.64, HR: 0.2 },
      modelVersion: 'm1',
      createdAt: now - 600_000,
      user: { id: 'u2', username: 'sam' },
    },
  ],
  nextCursor: null,
}
const users = {
  users: [
    {
      id: 'u2',
      username: 'sam',
      email: 'sam.with.a.long.address@example.com',
      displayName: 'Sam',
      role: 'user',
      banned: false,
      bannedReason: null,
      createdAt: 0,
    },
  ],
}

const json = answerJson(UI)

export function answer(route: Route) {
  const request = route.request()
  const url = new URL(request.url())
  if (request.method() === 'OPTIONS')
    return route.fulfill({
      status: 204,
      headers: {
        'Access-Control-Allow-Origin': UI,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, POST, PUT',
        'Access-Control-Allow-Headers': 'Content-Type',
      },
    })
  const status = url.searchParams.get('status') ?? 'in_review'
  const path = url.pathname
  if (path === '/api/auth/me') return json(route, { user: admin })
  if (path === '/api/admin/overview') return json(route, overview)
  if (path === '/api/moderation/videos')
    return json(route, {
      videos: status in videos ? videos[status as keyof typeof videos] : [],
      nextCursor: null,
    })
  if (path === '/api/moderation/comments')
    return json(route, { comments: status === 'held' ? [comment] : [], nextCursor: null })
  if (path.startsWith('/api/admin/creators/')) return json(route, creator)
  if (path === '/api/moderation/policies') return json(route, policies)
  if (path.endsWith('/preview')) return json(route, preview)
  if (path === '/api/admin/history') return json(route, history)
  if (path === '/api/admin/reports') return json(route, reports)
  if (path === '/api/moderation/profiles') return json(route, profiles)
  if (path === '/api/admin/users') return json(route, users)
  if (path.startsWith('/f/'))
    return route.fulfill({
      status: 200,
      contentType: 'image/svg+xml',
      headers: { 'Access-Control-Allow-Origin': UI, 'Access-Control-Allow-Credentials': 'true' },
      body: frameSvg(Number(path.split('/').at(-1)?.split('.')[0] ?? 0)),
    })
  return json(route, { error: { code: 'not_found', message: 'Not found', requestId: 'x' } }, 404)
}
