// Screenshots of a flagged appeal message in the Appealed tab at phone and desktop sizes,
// without starting the platform: the dashboard on Vite's dev server in Debian's headless
// Chromium, with the API answered at the network boundary in the Worker's response shapes.
// Checks that the list badge and the detail's note say the text check flagged the message
// (appeals/service.ts files such appeals and flags them; clearly abusive ones are refused).
// Run: npx tsx e2e/appeal-flag.shots.ts (from admin/); SHOTS_DIR picks another folder.
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
const UI_PORT = 5191
const UI = `http://127.0.0.1:${UI_PORT}`
const API = 'http://127.0.0.1:5190'

const mod = accountRecord({
  id: 'm1',
  username: 'mod_mia',
  email: 'mia@example.com',
  role: 'moderator',
  displayName: 'Mia',
})

const now = Date.now()
const flaggedComment = {
  id: 'k9',
  body: 'ref is blind lol',
  status: 'rejected',
  reason: 'Rejected: harassment',
  scores: { HR: 0.81, H: 0.05 },
  modelVersion: 'm1',
  createdAt: now - 7_200_000,
  author: { id: 'u2', username: 'sam' },
  video: { id: 'v1', title: 'Skate clip' },
  appeal: {
    id: 'a9',
    message: 'you are pathetic and stupid, it was a joke about the referee',
    messageCheck: { status: 'held', categories: ['HR'] },
    status: 'pending',
    response: null,
    createdAt: now - 600_000,
  },
}
const history = {
  user: { id: 'u2', username: 'sam', role: 'user', banned: false, createdAt: 0 },
  videos: { published: 3, rejected: 0 },
  comments: { published: 40 },
  priorRejections: { videos: [], comments: [] },
  reportsAgainstUser: 0,
}

const json = answerJson(UI)

const shoot = (page: Page, name: string) => shootBoth(page, SHOTS, name, { end: DESKTOP })

async function main({ browser }: ShotsContext) {
  const page = await browser.newPage({ viewport: DESKTOP })
  await page.route(
    (url) => url.origin === API,
    (route) => {
      const url = new URL(route.request().url())
      if (route.request().method() === 'OPTIONS')
        return route.fulfill({
          status: 204,
          headers: {
            'Access-Control-Allow-Origin': UI,
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Allow-Methods': 'GET, POST',
            'Access-Control-Allow-Headers': 'Content-Type',
          },
        })
      const status = url.searchParams.get('status')
      if (url.pathname === '/api/auth/me') return json(route, { user: mod })
      if (url.pathname === '/api/moderation/comments')
        return json(route, {
          comments: status === 'appealed' ? [flaggedComment] : [],
          nextCursor: null,
        })
      if (url.pathname.startsWith('/api/admin/creators/')) return json(route, history)
      return json(
        route,
        { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
        404,
      )
    },
  )
  page.on('pageerror', (e) => step(`pageerror: ${e.message}`))
  await page.goto(`${UI}/comments`)
  await page.getByRole('tab', { name: 'Appealed' }).click()
  await page.getByText('Message flagged', { exact: true }).waitFor()
  const note = page.getByRole('note')
  await note.waitFor()
  const text = await note.textContent()
  if (!text?.startsWith('Message flagged: likely harassment.')) throw new Error(`note: ${text}`)
  step(`flag shown: ${text}`)
  await shoot(page, 'appeal-flagged')
}

await runShots({ appDir: resolve(HERE, '..'), port: UI_PORT, env: { VITE_API_URL: API } }, main)
