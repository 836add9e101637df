// Screenshots of "Your reports" in Settings at phone and desktop sizes, without starting the
// platform: the real app on Vite's dev server in Debian's headless Chromium, with the API
// answered at the network boundary in the Worker's response shapes (GET /api/reports/mine).
// Checks the page too: a pending report, one acted on and one found within the rules, each
// named without the reported words; and the empty state.
// Run: npx tsx e2e/my-reports.shots.ts (from web/); SHOTS_DIR overrides where shots go.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import type { MyReport } from '../../worker/src/features/reports/mine'
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
  id: 'u1',
  username: 'night_owl',
  email: 'owl@example.com',
  displayName: 'Night Owl',
  bio: 'Watching clips past midnight.',
})

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

const json = answerJson()

const shoot = (page: Page, name: string, focus?: Locator) =>
  shootBoth(page, SHOTS, name, {
    before: async () => focus?.scrollIntoViewIfNeeded(),
    // Nothing may push the phone's page sideways.
    after: async (_, size, viewport) => {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      if (wide > viewport.width) throw new Error(`${name} at ${size}: page is ${wide} px wide`)
    },
  })

async function main({ browser, base }: ShotsContext) {
  let mine: MyReport[] = reports
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
}

await runShots({ appDir: resolve(HERE, '..'), port: 5199, server: { proxy: {} } }, main)
