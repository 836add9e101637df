// Screenshots of the Appealed tabs at phone and desktop sizes, without starting the
// platform: the dashboard on Vite's dev server in Debian's headless Chromium, with the API
// answered at the network boundary in the Worker's response shapes. Checks the flow too:
// the creator's message is shown, and Overturn sends the answer with the moderator's reason.
// Run: npx tsx e2e/appeals.shots.ts (from admin/).
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
const API = 'http://127.0.0.1:5196'

const mod = accountRecord({
  id: 'm1',
  username: 'mod_mia',
  email: 'mia@example.com',
  role: 'moderator',
  displayName: 'Mia',
})

const now = Date.now()
const appealedVideo = {
  id: 'v8',
  title: 'Knife skills: julienne in 60 s',
  description: 'Knife work for a weeknight stir-fry.',
  status: 'rejected',
  statusReason: 'Graphic violence around 0:07 (video check)',
  createdAt: now - 86_400_000,
  statusChangedAt: now - 80_000_000,
  durationSeconds: 14,
  creator: { id: 'c1', username: 'chef_ana' },
  posterUrl: null,
  playlistUrl: null,
  frames: [],
  appeal: {
    id: 'a1',
    message: 'This is a cooking tutorial: the knife only ever touches vegetables.',
    status: 'pending',
    response: null,
    createdAt: now - 1_800_000,
  },
  decision: {
    source: 'machine',
    decision: 'rejected',
    scores: { gemini: null, frames: null, text: { V: 0.12 }, triggers: [] },
    explanation: 'V2: knife close-up',
    model: 'nsfwjs+comment-onnx',
    modelVersion: '1',
    policyVersion: 2,
    createdAt: now - 80_000_000,
  },
}
const appealedComment = {
  id: 'k7',
  body: 'you absolute clown, see you at practice',
  status: 'held',
  reason: 'Held for review: likely harassment',
  scores: { HR: 0.58, H: 0.04 },
  modelVersion: 'm1',
  createdAt: now - 7_200_000,
  author: { id: 'u2', username: 'sam' },
  video: { id: 'v1', title: 'Skate clip' },
  appeal: {
    id: 'a2',
    message: 'He is my brother and this is how we talk. Read the replies.',
    status: 'pending',
    response: null,
    createdAt: now - 600_000,
  },
}
const history = {
  user: { id: 'c1', username: 'chef_ana', role: 'user', banned: false, createdAt: 0 },
  videos: { published: 12, rejected: 1 },
  comments: { published: 40 },
  priorRejections: { videos: [], comments: [] },
  reportsAgainstUser: 0,
}

const json = answerJson('http://127.0.0.1:5197')

const shoot = (page: Page, name: string) => shootBoth(page, SHOTS, name, { end: DESKTOP })

async function main({ browser }: ShotsContext) {
  const answers: unknown[] = []
  let videos = [appealedVideo]
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
            'Access-Control-Allow-Origin': 'http://127.0.0.1:5197',
            'Access-Control-Allow-Credentials': 'true',
            'Access-Control-Allow-Methods': 'GET, POST',
            'Access-Control-Allow-Headers': 'Content-Type',
          },
        })
      const status = url.searchParams.get('status')
      if (url.pathname === '/api/auth/me') return json(route, { user: mod })
      if (url.pathname === '/api/moderation/videos')
        return json(route, { videos: status === 'appealed' ? videos : [], nextCursor: null })
      if (url.pathname === '/api/moderation/comments')
        return json(route, {
          comments: status === 'appealed' ? [appealedComment] : [],
          nextCursor: null,
        })
      if (url.pathname.startsWith('/api/admin/creators/')) return json(route, history)
      if (url.pathname === '/api/moderation/appeals/a1/decision') {
        answers.push(route.request().postDataJSON())
        videos = []
        return json(route, { appeal: { ...appealedVideo.appeal, status: 'overturned' } })
      }
      return json(
        route,
        { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
        404,
      )
    },
  )
  page.on('pageerror', (e) => step(`pageerror: ${e.message}`))
  await page.goto('http://127.0.0.1:5197/comments')
  await page.getByRole('tab', { name: 'Appealed' }).click()
  await page.getByText('He is my brother').first().waitFor()
  await shoot(page, 'appeals-comments')

  await page.goto('http://127.0.0.1:5197/videos')
  await page.getByRole('tab', { name: 'Appealed' }).click()
  await page.getByText('only ever touches vegetables').first().waitFor()
  await page.getByLabel('Reason').fill('Cooking, not violence: no person is hurt')
  await shoot(page, 'appeals-videos')
  await page.getByRole('button', { name: /Overturn/ }).click()
  await page.getByText('Overturned the appeal on 1 video').waitFor()
  await shoot(page, 'appeals-videos-answered')
  const sent = JSON.stringify(answers)
  if (
    sent !==
    JSON.stringify([{ outcome: 'overturn', reason: 'Cooking, not violence: no person is hurt' }])
  )
    throw new Error(`answer sent: ${sent}`)
  step('appealed video: overturned with the reason, and the tab is empty')
}

await runShots({ appDir: resolve(HERE, '..'), port: 5197, env: { VITE_API_URL: API } }, main)
