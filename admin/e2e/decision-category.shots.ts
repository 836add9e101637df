// Screenshots of the category a moderator chooses with a rejection, at phone and desktop
// sizes, without starting the platform: the dashboard on Vite's dev server in Debian's
// headless Chromium, the API answered at the network boundary in the Worker's shapes. Checks
// the flow too: Reject sends the chosen category, the history marks it as chosen, the
// Reports page offers the same choice, an appeal's Uphold sends it, and so does a profile
// change's Reject.
// Run: npx tsx e2e/decision-category.shots.ts (from admin/); SHOTS_DIR overrides where.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import {
  accountRecord,
  DESKTOP,
  answerJson,
  runShots,
  shootBoth,
  shotsDir,
  step,
  type ShotsContext,
} from '../../scripts/shots.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = shotsDir(resolve(HERE, '..'))
const API = 'http://127.0.0.1:5194'
const APP = 'http://127.0.0.1:5195'

const mod = accountRecord({
  id: 'm1',
  username: 'mod_mia',
  email: 'mia@example.com',
  role: 'moderator',
  displayName: 'Mia',
})

const now = Date.now()
const held = {
  id: 'k7',
  body: 'nobody wants you here, go back where you came from',
  status: 'held',
  reason: 'Held for review: likely hate',
  scores: { H: 0.62, HR: 0.41 },
  modelVersion: 'm1',
  createdAt: now - 7_200_000,
  author: { id: 'u2', username: 'sam' },
  video: { id: 'v1', title: 'Skate clip' },
  appeal: null,
}
// A rejected comment whose author appealed, for the Appealed tab.
const appealed = {
  ...held,
  id: 'k9',
  body: 'people like you should not be allowed near a skatepark',
  status: 'rejected',
  reason: 'Rejected by a moderator: aimed at a group',
  appeal: {
    id: 'a9',
    message: 'I meant people who leave glass on the ramp, read the thread',
    messageCheck: null,
    status: 'pending',
    response: null,
    createdAt: now - 1_800_000,
  },
}
// A bio the classifier held, for the Profile queue.
const heldBio = {
  id: 'pc3',
  field: 'bio',
  text: 'Skater. Anyone who rides a scooter here is trash and should get hit',
  current: 'Skater from Leeds',
  status: 'held',
  reason: 'Held for review: likely harassment',
  scores: { HR: 0.58, V: 0.33 },
  modelVersion: 'm1',
  createdAt: now - 3_600_000,
  user: { id: 'u4', username: 'ramp_rat' },
}
const creatorHistory = {
  user: { id: 'u2', username: 'sam', role: 'user', banned: false, createdAt: 0 },
  videos: { published: 0 },
  comments: { published: 14, held: 1 },
  priorRejections: { videos: [], comments: [] },
  reportsAgainstUser: 1,
}
const event = (id: string, over: object) => ({
  id,
  subjectType: 'comment',
  subjectId: 'k7',
  source: 'machine',
  actor: null,
  decision: 'held',
  category: 'H',
  categoryChosen: false,
  scores: { H: 0.62, HR: 0.41 },
  categoryScores: { H: 0.62, HR: 0.41 },
  explanation: 'Held for review: likely hate',
  model: 'comment-classifier',
  modelVersion: 'm1',
  policyVersion: 2,
  createdAt: now - 7_200_000,
  subject: { label: held.body, status: 'held' },
  ...over,
})

const json = answerJson(APP)

const shoot = (page: Page, name: string) => shootBoth(page, SHOTS, name, { end: DESKTOP })

async function main({ browser }: ShotsContext) {
  const decisions: unknown[] = []
  const answers: unknown[] = []
  const profileDecisions: unknown[] = []
  let queue = [held]
  let appeals = [appealed]
  let profiles = [heldBio]
  const page = await browser.newPage({ viewport: DESKTOP })
  await page.route(
    (url) => url.origin === API,
    (route) => {
      const url = new URL(route.request().url())
      const method = route.request().method()
      if (method === 'OPTIONS')
        return route.fulfill({
          status: 204,
          headers: {
            'Access-Control-Allow-Origin': APP,
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Allow-Methods': 'GET, POST',
            'Access-Control-Allow-Headers': 'Content-Type',
          },
        })
      const status = url.searchParams.get('status')
      if (url.pathname === '/api/auth/me') return json(route, { user: mod })
      if (url.pathname === '/api/moderation/comments')
        return json(route, {
          comments: status === 'held' ? queue : status === 'appealed' ? appeals : [],
          nextCursor: null,
        })
      if (url.pathname === '/api/moderation/appeals/a9/decision') {
        answers.push(route.request().postDataJSON())
        appeals = []
        return json(route, { appeal: { ...appealed.appeal, status: 'upheld' } })
      }
      if (url.pathname === '/api/moderation/profiles')
        return json(route, { changes: status === 'held' ? profiles : [], nextCursor: null })
      if (url.pathname === '/api/moderation/profiles/decisions') {
        profileDecisions.push(route.request().postDataJSON())
        profiles = []
        return json(route, { results: [{ id: 'pc3', status: 'rejected' }] })
      }
      if (url.pathname === '/api/moderation/comments/decisions') {
        decisions.push(route.request().postDataJSON())
        queue = []
        return json(route, { results: [{ id: 'k7', status: 'rejected' }] })
      }
      if (url.pathname.startsWith('/api/admin/creators/')) return json(route, creatorHistory)
      if (url.pathname === '/api/admin/reports')
        return json(route, {
          groups: [
            {
              subjectType: 'video',
              subjectId: 'v5',
              count: 3,
              reasons: { harassment: 2, spam: 1 },
              details: [],
              firstAt: now - 5_400_000,
              lastAt: now - 600_000,
              subject: {
                label: 'Rating my neighbour’s haircut',
                status: 'published',
                owner: { id: 'u3', username: 'blunt_bo' },
              },
            },
          ],
        })
      if (url.pathname === '/api/admin/history')
        return json(route, {
          events: [
            event('e2', {
              source: 'human',
              actor: { id: 'm1', username: 'mod_mia' },
              decision: 'rejected',
              category: 'HR',
              categoryChosen: true,
              scores: null,
              categoryScores: {},
              explanation: 'Aimed at the creator, not at a group',
              model: null,
              modelVersion: null,
              policyVersion: null,
              createdAt: now - 60_000,
              subject: { label: held.body, status: 'rejected' },
            }),
            event('e1', {}),
          ],
          nextCursor: null,
        })
      return json(
        route,
        { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
        404,
      )
    },
  )
  page.on('pageerror', (e) => step(`pageerror: ${e.message}`))
  await page.goto(`${APP}/comments`)
  await page.getByText('go back where you came from').first().waitFor()
  await page.getByLabel('Category').selectOption('HR')
  await page.getByLabel('Reason').fill('Aimed at the creator, not at a group')
  await shoot(page, 'decision-category-chosen')
  await page.getByRole('button', { name: /^Reject/ }).click()
  await page.getByText('Rejected 1 comment').waitFor()
  const sent = JSON.stringify(decisions)
  if (
    sent !==
    JSON.stringify([
      {
        commentIds: ['k7'],
        action: 'reject',
        reason: 'Aimed at the creator, not at a group',
        category: 'HR',
      },
    ])
  )
    throw new Error(`decision sent: ${sent}`)
  step('comment queue: Reject sends the chosen category HR')

  await page.goto(`${APP}/history`)
  await page.getByText('· chosen').waitFor()
  await shoot(page, 'decision-category-history')
  step('history: the human decision shows HR · chosen, the machine one H')

  await page.goto(`${APP}/reports`)
  await page.getByText('Rating my neighbour’s haircut').waitFor()
  await page.getByLabel('Reason').fill('Mocks a named person')
  await page.getByLabel('Category').selectOption('HR')
  await shoot(page, 'decision-category-reports')
  step('reports page: Reject video and resolve offers the category too')

  await page.goto(`${APP}/comments`)
  await page.getByRole('tab', { name: 'Appealed' }).click()
  await page.getByText('read the thread').first().waitFor()
  await page.getByLabel('Category').selectOption('HR')
  await page.getByLabel('Reason').fill('Still aimed at the creator; the thread says so')
  await shoot(page, 'decision-category-appeal')
  await page.getByRole('button', { name: /^Uphold/ }).click()
  await page.getByText('Upheld the decision on 1 comment').waitFor()
  const answered = JSON.stringify(answers)
  if (
    answered !==
    JSON.stringify([
      {
        outcome: 'uphold',
        reason: 'Still aimed at the creator; the thread says so',
        category: 'HR',
      },
    ])
  )
    throw new Error(`appeal answer sent: ${answered}`)
  step('appealed tab: Uphold sends the chosen category HR')

  await page.goto(`${APP}/profiles`)
  await page.getByText('should get hit').first().waitFor()
  await page.getByLabel('Category').selectOption('V')
  await page.getByLabel('Reason').fill('Wishes violence on scooter riders')
  await shoot(page, 'decision-category-profile')
  await page.getByRole('button', { name: /^Reject/ }).click()
  await page.getByText('Rejected 1 profile change').waitFor()
  const rejected = JSON.stringify(profileDecisions)
  if (
    rejected !==
    JSON.stringify([
      {
        changeIds: ['pc3'],
        action: 'reject',
        reason: 'Wishes violence on scooter riders',
        category: 'V',
      },
    ])
  )
    throw new Error(`profile decision sent: ${rejected}`)
  step('profile queue: Reject sends the chosen category V')
}

await runShots({ appDir: resolve(HERE, '..'), port: 5195, env: { VITE_API_URL: API } }, main)
