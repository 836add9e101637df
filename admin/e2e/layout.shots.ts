// Layout check and screenshots of the overview, the queues, the video detail and the thresholds
// preview at a phone (390x844) and a desktop (1280x800) size, without starting the platform: the
// dashboard on Vite's dev server in Debian's headless Chromium, the API answered at the network
// boundary in the Worker's shapes. Fails when a page scrolls sideways, when the video detail is
// wider than the space it has, or when the phone hides the page behind the sidebar.
// Run: npx tsx e2e/layout.shots.ts (from admin/); SHOTS_DIR picks another folder.
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page, Route } from 'playwright-core'
import {
  DESKTOP,
  PHONE,
  answerJson,
  runShots,
  shootBoth,
  shotsDir,
  step,
  type ShotsContext,
} from '../../scripts/shots.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = shotsDir(resolve(HERE, '..'))
const UI_PORT = 5199
const UI = `http://127.0.0.1:${UI_PORT}`
const API = 'http://127.0.0.1:5198'

const admin = {
  id: 'a1',
  username: 'admin_ada',
  email: 'ada@example.com',
  role: 'admin',
  displayName: 'Ada',
  bio: '',
  avatarUrl: null,
  bannerUrl: null,
  website: '',
  location: '',
  verified: false,
  banned: false,
  createdAt: 0,
  interests: [],
  profileReview: [],
}

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

function answer(route: Route) {
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

const failures: string[] = []
// How wide the document and the page's own area are: a page that scrolls sideways has a
// scrollWidth over the viewport's width.
async function measure(page: Page, name: string, size: string) {
  const m = await page.evaluate(() => {
    const main = document.querySelector('main')
    const detail = document.querySelector('article.detail')
    return {
      viewport: window.innerWidth,
      scroll: document.documentElement.scrollWidth,
      main: main ? Math.round(main.getBoundingClientRect().width) : 0,
      detail: detail ? Math.round(detail.getBoundingClientRect().width) : null,
      detailRight: detail ? Math.round(detail.getBoundingClientRect().right) : null,
    }
  })
  step(`${name} ${size}: ${JSON.stringify(m)}`)
  if (m.scroll > m.viewport) failures.push(`${name} ${size} scrolls sideways (${m.scroll} px)`)
  // Nor may a box inside the page scroll sideways on a phone: a table that did hid its right-hand
  // columns (the explanation, the frame statistics) behind a swipe. The frame strip is the one
  // exception, a film strip made to be swiped.
  if (size === 'phone') {
    const inner = await page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((el) => {
          if (el.closest('.frames')) return false
          const { overflowX } = getComputedStyle(el)
          const scrolls = overflowX === 'auto' || overflowX === 'scroll'
          if (scrolls && el.scrollWidth > el.clientWidth + 1) return true
          // A table wider than the box that holds it spills over the box's edge.
          const parent = el.parentElement
          if (el.tagName !== 'TABLE' || parent === null) return false
          const style = getComputedStyle(parent)
          const room =
            parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
          return el.getBoundingClientRect().width > room + 1
        })
        .map(
          (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.scrollWidth} px`,
        ),
    )
    for (const box of inner)
      failures.push(`${name} ${size}: ${box} scrolls sideways inside the page`)
  }
  // A phone gives the page (nearly) the whole width; a desktop keeps a sidebar beside it.
  const room = size === 'phone' ? m.viewport * 0.9 : m.viewport - 240
  if (m.main < room) failures.push(`${name} ${size}: the page gets ${m.main} px`)
  if (m.detailRight !== null && m.detailRight > m.viewport)
    failures.push(`${name} ${size}: the detail ends at ${m.detailRight} px`)
}

// At both sizes; with a part, scrolled so that part is in view.
const shoot = (page: Page, name: string, part?: (page: Page) => Locator) =>
  shootBoth(page, SHOTS, name, {
    before: async (_, size) => {
      if (part) await part(page).evaluate((el) => el.scrollIntoView())
      await page.waitForTimeout(300)
      await measure(page, name, size)
    },
    settleMs: 0,
    end: DESKTOP,
  })

async function main({ browser }: ShotsContext) {
  const page = await browser.newPage({ viewport: DESKTOP })
  await page.route((url) => url.origin === API, answer)
  page.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('404')) failures.push(`console: ${m.text()}`)
  })

  await page.goto(`${UI}/`)
  await page.getByRole('heading', { name: 'Recommendations' }).waitFor()
  // recharts animates its bars and lines in: shoot once they are drawn.
  await page.waitForTimeout(1500)
  await shoot(page, 'overview')
  await shoot(page, 'overview-overturns', (p) =>
    p.getByRole('heading', { name: 'Human overturn rate' }),
  )
  await shoot(page, 'overview-recs', (p) => p.getByRole('heading', { name: 'Recommendations' }))

  await page.goto(`${UI}/videos`)
  await page.getByRole('article', { name: 'Video under review' }).waitFor()
  await shoot(page, 'video-queue')
  // The signals table: on a phone one card per category, on a desktop the columns that decide
  // first.
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.getByRole('heading', { name: 'Signals' }).evaluate((h) => h.scrollIntoView())
    await page.waitForTimeout(200)
    const table = await page.locator('.table-scroll').evaluate((box) => ({
      box: Math.round(box.getBoundingClientRect().width),
      table: box.scrollWidth,
    }))
    step(`signals ${size}: ${JSON.stringify(table)}`)
    if (table.table > table.box) failures.push(`signals ${size}: ${table.table} px in ${table.box}`)
    await page.screenshot({ path: join(SHOTS, `video-signals-${size}.png`) })
  }
  await page.setViewportSize(DESKTOP)
  await page.getByRole('tab', { name: 'Rejected' }).click()
  await page.getByText('Beach party', { exact: true }).first().waitFor()
  await shoot(page, 'video-queue-rejected')

  await page.goto(`${UI}/comments`)
  await page.getByRole('article', { name: 'Comment under review' }).waitFor()
  await shoot(page, 'comment-queue')

  await page.goto(`${UI}/thresholds`)
  await page.getByRole('button', { name: 'Preview changes' }).click()
  await page.getByLabel('Preview').waitFor()
  await shoot(page, 'thresholds', (p) => p.getByRole('heading', { name: 'Thresholds' }))
  await shoot(page, 'thresholds-preview', (p) => p.getByLabel('Preview'))

  for (const [name, path, heading] of [
    ['history', '/history', 'History'],
    ['reports', '/reports', 'Reports'],
    ['profile-queue', '/profiles', 'Profile queue'],
    ['users', '/users', 'Users'],
  ] as const) {
    await page.goto(`${UI}${path}`)
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
    await page.waitForTimeout(500)
    await shoot(page, name)
    if (name === 'history') {
      // Cards on a phone are still a table to a screen reader: a header row and one per event.
      await page.setViewportSize(PHONE)
      const table = page.getByRole('table', { name: 'Moderation events' })
      const rows = await table.getByRole('row').count()
      const cells = await table.getByRole('cell').count()
      step(`history phone: ${rows} rows, ${cells} cells by role`)
      if (rows !== 3 || cells !== 14) failures.push(`history phone: ${rows} rows, ${cells} cells`)
      await page.setViewportSize(DESKTOP)
    }
  }

  // The phone's menu: the links are one tap away and the page keeps the width.
  await page.setViewportSize(PHONE)
  const menu = page.getByRole('button', { name: 'Menu' })
  if (await menu.isVisible()) {
    await menu.click()
    await page.getByRole('link', { name: 'History' }).waitFor()
    await page.screenshot({ path: join(SHOTS, 'menu-open-phone.png') })
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    if (await page.getByRole('link', { name: 'History' }).isVisible())
      failures.push('the phone menu stays open after a link is followed')
  } else failures.push('no Menu button on a phone')

  if (failures.length) throw new Error(failures.join('\n  '))
}

await runShots({ appDir: resolve(HERE, '..'), port: UI_PORT, env: { VITE_API_URL: API } }, main)
