// Screenshots of the clip's "More" control (why am I seeing this, not interested) at phone
// and desktop sizes, without starting the platform: the real app on Vite's dev server in
// Debian's headless Chromium, with the API answered at the network boundary by fixtures in
// the Worker's response shapes. Checks the flow too: the reason is shown in words and "Not
// interested" posts to the API and moves on to the next clip.
// Run: npx tsx e2e/clip-options.shots.ts (from web/).
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import {
  accountRecord,
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

const me = accountRecord({
  id: 'viewer1',
  username: 'viewer',
  displayName: 'Viewer',
  interests: ['food'],
})

function card(id: string, title: string, reason: { kind: string; text: string }, hue: number) {
  return {
    id,
    title,
    description: 'Fresh from the kitchen.',
    durationSeconds: 12,
    width: 720,
    height: 1280,
    visibility: 'public',
    counts: { views: 1200, likes: 87, comments: 9 },
    createdAt: 0,
    publishedAt: 0,
    creator: {
      id: 'c1',
      username: 'chef_ana',
      displayName: 'Ana',
      avatarUrl: null,
      verified: false,
    },
    categories: ['recipes'],
    tags: [],
    likedByMe: false,
    posterUrl: `/media/poster-${hue}.svg`,
    playlistUrl: null,
    reason,
  }
}

const cards = [
  card(
    'v1',
    'Ten-minute ramen',
    { kind: 'watched', text: 'Because you watched “Sourdough basics”' },
    20,
  ),
  card(
    'v2',
    'Crispy tofu, three ways',
    { kind: 'category', text: 'Popular in Recipes, which you picked' },
    160,
  ),
  card('v3', 'Street tacos at night', { kind: 'explore', text: 'Something new to try' }, 260),
]

const json = answerJson()

const shoot = (page: Page, name: string) => shootBoth(page, SHOTS, name)

async function main({ browser, base }: ShotsContext) {
  const notInterested: string[] = []
  const page = await browser.newPage({ viewport: PHONE })
  await page.route(
    (url) => url.pathname.startsWith('/media/'),
    (route) => {
      const hue = /poster-(\d+)/.exec(route.request().url())?.[1] ?? '0'
      return route.fulfill({
        contentType: 'image/svg+xml',
        body: `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1280"><rect width="720" height="1280" fill="hsl(${hue} 45% 32%)"/></svg>`,
      })
    },
  )
  await page.route(
    (url) => url.pathname.startsWith('/api/'),
    (route) => {
      const url = new URL(route.request().url())
      const method = route.request().method()
      if (url.pathname === '/api/auth/session') return json(route, { user: me })
      if (url.pathname === '/api/feed')
        return json(route, { videos: cards, nextCursor: null, exploratory: 1 })
      const rejected = /^\/api\/videos\/([^/]+)\/not-interested$/.exec(url.pathname)
      if (rejected && method === 'POST') {
        notInterested.push(rejected[1] ?? '')
        return json(route, { notInterested: true })
      }
      if (url.pathname.startsWith('/api/users/'))
        return json(route, { profile: { following: false } })
      return json(
        route,
        { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
        404,
      )
    },
  )
  page.on('console', (m) => step(`console: ${m.text()}`))
  page.on('pageerror', (e) => step(`pageerror: ${e.message}`))
  await page.goto(`${base}/`)
  const active = page.getByTestId('active-clip')
  await active.waitFor()
  await shoot(page, 'clip-feed')

  await active.getByRole('button', { name: 'More options' }).click()
  await active.getByRole('button', { name: 'Why am I seeing this?' }).click()
  const reason = active.getByRole('status').filter({ hasText: 'Because you watched' })
  await reason.waitFor()
  step(`reason shown: ${await reason.textContent()}`)
  await shoot(page, 'clip-why')

  await active.getByRole('button', { name: 'Not interested' }).click()
  await page.waitForFunction(
    () =>
      document
        .querySelector('[data-testid="active-clip"]')
        ?.getAttribute('aria-label')
        ?.startsWith('Crispy tofu') === true,
  )
  if (notInterested.join() !== 'v1') throw new Error(`posted ${notInterested.join()}`)
  await page.getByRole('status').filter({ hasText: 'fewer clips like that' }).waitFor()
  step('not interested: posted for v1, the feed moved on to the next clip')
  await shoot(page, 'clip-not-interested')
}

await runShots({ appDir: resolve(HERE, '..'), port: 5199, server: { proxy: {} } }, main)
