// Screenshots of "Your reports" in Settings at phone and desktop sizes, without starting the
// platform: the real app on Vite's dev server in Debian's headless Chromium, with the API
// answered at the network boundary in the Worker's response shapes (GET /api/reports/mine).
// Checks the page too: a pending report, one acted on and one found within the rules, each
// named without the reported words; and the empty state.
// Run: npx tsx e2e/my-reports.shots.ts (from web/); SHOTS_DIR overrides where shots go.
import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Locator, Page, Route } from 'playwright-core'
import { createServer } from 'vite'
import type { MyReport } from '../../worker/src/features/reports/mine'
import { chromiumLaunchOptions } from '../../scripts/lib.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = process.env.SHOTS_DIR ?? resolve(HERE, '..', 'test-results', 'screenshots')
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

const me = {
  id: 'u1',
  username: 'night_owl',
  email: 'owl@example.com',
  role: 'user',
  displayName: 'Night Owl',
  bio: 'Watching clips past midnight.',
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

const DAY = 86_400_000
const now = Date.now()
const reports: MyReport[] = [
  {
    id: 'r3',
    subjectType: 'video',
    subjectId: 'v3',
    subjectLabel: 'Clip “Free followers, click the link in my bio!!”',
    reason: 'spam',
    status: 'pending',
    outcome: null,
    outcomeMessage: null,
    createdAt: now - 2 * 3_600_000,
    resolvedAt: null,
  },
  {
    id: 'r2',
    subjectType: 'comment',
    subjectId: 'k2',
    subjectLabel: 'A comment under “Crispy tofu, three ways”',
    reason: 'harassment',
    status: 'resolved',
    outcome: 'action_taken',
    outcomeMessage: 'A moderator reviewed it and took action. Thank you for telling us.',
    createdAt: now - 3 * DAY,
    resolvedAt: now - 2 * DAY,
  },
  {
    id: 'r1',
    subjectType: 'user',
    subjectId: 'u9',
    subjectLabel: '@loud_larry_with_a_very_long_username_indeed',
    reason: 'other',
    status: 'dismissed',
    outcome: 'no_violation',
    outcomeMessage: 'A moderator reviewed it and found it within our rules.',
    createdAt: now - 9 * DAY,
    resolvedAt: now - 8 * DAY,
  },
]

function json(route: Route, body: unknown, status = 200) {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
}

function step(message: string) {
  console.log(`[shots] ${message}`)
}

async function shoot(page: Page, name: string, focus?: Locator) {
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.waitForTimeout(200)
    if (focus) await focus.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`) })
    // Nothing may push the phone's page sideways.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth)
    if (wide > viewport.width) throw new Error(`${name} at ${size}: page is ${wide} px wide`)
  }
  await page.setViewportSize(PHONE)
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const server = await createServer({
    root: resolve(HERE, '..'),
    configFile: resolve(HERE, '..', 'vite.config.ts'),
    logLevel: 'error',
    server: { port: 5199, strictPort: true, proxy: {} },
  })
  await server.listen()
  const base = 'http://127.0.0.1:5199'
  const browser = await chromium.launch(chromiumLaunchOptions)
  let mine: MyReport[] = reports
  try {
    const page = await browser.newPage({ viewport: PHONE })
    await page.route(
      (url) => url.pathname.startsWith('/api/'),
      (route) => {
        const path = new URL(route.request().url()).pathname
        if (path === '/api/auth/session') return json(route, { user: me })
        if (path === '/api/categories') return json(route, { categories: [] })
        if (path === '/api/reports/mine') return json(route, { reports: mine })
        return json(
          route,
          { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
          404,
        )
      },
    )
    page.on('pageerror', (e) => step(`pageerror: ${e.message}`))

    await page.goto(`${base}/settings`)
    const section = page.locator('.my-reports')
    await section.getByRole('heading', { name: 'Your reports' }).waitFor()
    await section.getByTestId('my-report').nth(2).waitFor()
    for (const words of ['Waiting for review', 'Action taken', 'No rule broken']) {
      await section.getByText(words, { exact: true }).waitFor()
    }
    await shoot(page, 'my-reports', section)
    step('settings: three reports, pending, action taken, no rule broken')

    mine = []
    await page.reload()
    await section.getByText('You have not reported anything').waitFor()
    await shoot(page, 'my-reports-empty', section)
    step('settings: no reports yet')
    console.log(`\nSHOTS PASSED: ${SHOTS}`)
  } catch (err) {
    console.error(`\nSHOTS FAILED: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
  } finally {
    await browser.close()
    await server.close()
  }
}

await main()
