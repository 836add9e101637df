// Screenshots of what a block changes at once, and of appeals that already exist or were
// refused, at phone and desktop sizes, without starting the platform: the real app on Vite's
// dev server in Debian's headless Chromium, with the API answered at the network boundary in
// the Worker's response shapes. Checks the flows too: the clip's comment count drops by the
// blocked author's comments, the profile's counts are read again after a block, no "Appeal"
// link where an appeal exists, and a refused appeal message says why and keeps the text.
// Run: npx tsx e2e/block-appeal.shots.ts (from web/); SHOTS_DIR picks another folder.
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
const PORT = 5193

function account(id: string, username: string, displayName: string) {
  return accountRecord({ id, username, displayName, interests: ['food'] })
}
const viewer = account('viewer1', 'viewer', 'Viewer')
const chef = account('c1', 'chef_ana', 'Ana')

function card(id: string, title: string, hue: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    title,
    description: 'Fresh from the kitchen.',
    durationSeconds: 12,
    width: 720,
    height: 1280,
    visibility: 'public',
    counts: { views: 1200, likes: 87, comments: 3 },
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
    reason: { kind: 'explore', text: 'Something new to try' },
    ...extra,
  }
}

function comment(id: string, username: string, body: string, parentId: string | null = null) {
  return {
    id,
    videoId: 'v1',
    parentId,
    body,
    createdAt: Date.now() - 3_600_000,
    author: { id: `u-${username}`, username, displayName: username, avatarUrl: null },
  }
}

const thread = [
  { ...comment('k1', 'troll', 'worst ramen I have ever seen, you should quit'), replies: [] },
  {
    ...comment('k2', 'sam', 'Saving this for Friday night!'),
    replies: [comment('k3', 'troll', 'nobody cares sam', 'k2')],
  },
]

const appeal = (subjectId: string, status: string, response: string | null) => ({
  id: `a-${subjectId}`,
  subjectType: 'video',
  subjectId,
  message: 'This is a cooking tutorial: the knife only ever touches vegetables.',
  status,
  response,
  createdAt: Date.now() - 86_400_000,
  decidedAt: response ? Date.now() - 3_600_000 : null,
})

const myClips = [
  card('v8', 'Knife skills: julienne in 60 s', 200, {
    status: 'rejected',
    statusReason: 'Rejected: graphic violence',
  }),
  card('v7', 'Butchering a whole chicken', 20, {
    status: 'rejected',
    statusReason: 'Rejected: graphic violence',
  }),
  card('v6', 'Flambé gone wrong', 40, {
    status: 'in_review',
    statusReason: 'A moderator will review it',
  }),
  card('v5', 'Ten-minute ramen', 300, { status: 'published' }),
]
const myAppeals = [
  appeal('v8', 'pending', null),
  appeal('v6', 'upheld', 'The fire reaches the audience at 0:09.'),
]

const json = answerJson()

const shoot = (page: Page, name: string) => shootBoth(page, SHOTS, name)

async function main({ browser, base }: ShotsContext) {
  let me = viewer
  let blocked = false
  const appealsSent: unknown[] = []
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
      const path = url.pathname
      if (path === '/api/auth/session' || path === '/api/auth/me') return json(route, { user: me })
      if (path === '/api/feed')
        return json(route, { videos: [card('v1', 'Ten-minute ramen', 30)], nextCursor: null })
      if (path === '/api/videos/v1/comments')
        return json(route, { comments: thread, nextCursor: null })
      if (path === '/api/users/troll/block' && method === 'POST') {
        blocked = true
        return json(route, { blocked: true })
      }
      if (path === '/api/users/chef_ana/block' && method === 'POST') {
        blocked = true
        return json(route, { blocked: true })
      }
      if (path === '/api/users/chef_ana')
        return json(route, {
          profile: {
            ...chef,
            createdAt: 0,
            interests: [],
            // The block ended both follows on the server.
            counts: blocked
              ? { followers: 1203, following: 87, videos: 4, likes: 5120 }
              : { followers: 1204, following: 88, videos: 4, likes: 5120 },
            isFollowing: !blocked,
            isMe: me.id === chef.id,
            blockedByMe: blocked,
          },
        })
      if (path === '/api/users/chef_ana/videos')
        return json(route, { videos: myClips.slice(3), nextCursor: null })
      if (path === '/api/me/videos') return json(route, { videos: myClips, nextCursor: null })
      if (path === '/api/appeals' && method === 'GET') {
        const id = url.searchParams.get('subjectId')
        return json(route, { appeals: myAppeals.filter((a) => !id || a.subjectId === id) })
      }
      if (path === '/api/appeals' && method === 'POST') {
        appealsSent.push(route.request().postDataJSON())
        return json(
          route,
          {
            error: {
              code: 'appeal_message_refused',
              message:
                'Your appeal was not sent: the message reads as harassment. Say why the ' +
                'decision is wrong without insults or threats; you can still appeal.',
              requestId: 'x',
            },
          },
          422,
        )
      }
      if (path === '/api/videos/v7') return json(route, { video: myClips[1] })
      if (/^\/api\/videos\/v7\/(comments|similar)$/.test(path))
        return json(route, { comments: [], videos: [], nextCursor: null })
      return json(
        route,
        { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
        404,
      )
    },
  )
  page.on('pageerror', (e) => step(`pageerror: ${e.message}`))

  // 1. The feed's comment count follows a block made in the comments.
  await page.goto(`${base}/`)
  const active = page.getByTestId('active-clip')
  await active.waitFor()
  const count = active.getByTestId('comment-count')
  if ((await count.textContent()) !== '3') throw new Error('count before the block')
  await active.getByRole('button', { name: 'Comments' }).click()
  const first = page.getByTestId('comment').first()
  await first.waitFor()
  await first.getByRole('button', { name: 'More options for this comment' }).click()
  await shoot(page, 'block-comment-menu')
  await first.getByRole('button', { name: 'Block @troll' }).click()
  await page.getByText('You blocked @troll').waitFor()
  await shoot(page, 'block-comments-after')
  await page.getByRole('button', { name: 'Close' }).click()
  await page.waitForFunction(
    () => document.querySelector('[data-testid="comment-count"]')?.textContent === '1',
  )
  step('comment count: 3 before, 1 after blocking @troll (a comment and a reply)')
  await shoot(page, 'block-count')

  // 2. The profile: the follow ends and the counts are read again.
  blocked = false
  await page.goto(`${base}/u/chef_ana`)
  await page.getByRole('button', { name: 'Following' }).waitFor()
  await page.getByRole('button', { name: 'More options for this profile' }).click()
  await page.getByRole('button', { name: 'Block @chef_ana' }).click()
  await page.getByText('You blocked @chef_ana').first().waitFor()
  await page.getByText('1,203').or(page.getByText('1.2K')).first().waitFor()
  if ((await page.getByRole('button', { name: 'Following' }).count()) !== 0)
    throw new Error('still following after the block')
  step('profile: Following gone, counts read again after the block')
  await shoot(page, 'block-profile')

  // 3. My videos: an appeal's status instead of a second "Appeal".
  me = chef
  await page.goto(`${base}/me/videos`)
  await page.getByRole('link', { name: 'Appeal Butchering a whole chicken' }).waitFor()
  for (const title of ['Knife skills: julienne in 60 s', 'Flambé gone wrong']) {
    if ((await page.getByRole('link', { name: `Appeal ${title}` }).count()) !== 0)
      throw new Error(`Appeal offered on ${title}`)
  }
  step('my videos: Appeal only under the clip without an appeal')
  await shoot(page, 'appeal-tiles')

  // 4. A refused appeal message: why, and the text kept to rewrite.
  await page.goto(`${base}/v/v7`)
  await page.getByRole('button', { name: 'Appeal this decision' }).click()
  const box = page.getByLabel('Why should a moderator look again?')
  await box.fill('you moderators are useless idiots, give it back')
  await page.getByRole('button', { name: 'Send appeal' }).click()
  await page.getByRole('alert').filter({ hasText: 'Your appeal was not sent' }).waitFor()
  if ((await box.inputValue()) !== 'you moderators are useless idiots, give it back')
    throw new Error('the message was lost')
  if (appealsSent.length !== 1) throw new Error(`appeals sent: ${appealsSent.length}`)
  step('appeal refused: the reason shown, the message kept')
  await shoot(page, 'appeal-refused')
}

await runShots({ appDir: resolve(HERE, '..'), port: PORT, server: { proxy: {} } }, main)
