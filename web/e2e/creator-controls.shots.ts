// Screenshots of a creator's controls at phone and desktop sizes, without starting the
// platform: the real app on Vite's dev server in Debian's headless Chromium, with the API
// answered at the network boundary in the Worker's response shapes. Checks the flow too: the
// clip's ⋯ offers Edit and a confirmed Delete, an appeal goes out once with its message, a
// comment under one's clip is hidden, and a failed upload is deleted from My videos.
// Run: npx tsx e2e/creator-controls.shots.ts (from web/).
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
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
  id: 'c1',
  username: 'chef_ana',
  email: 'ana@example.com',
  displayName: 'Ana',
  interests: ['food'],
})

function card(id: string, title: string, status: string, statusReason: string | null, hue: number) {
  return {
    id,
    title,
    description: 'Knife work for a weeknight stir-fry.',
    durationSeconds: 14,
    width: 720,
    height: 1280,
    visibility: 'public',
    counts: { views: 0, likes: 0, comments: 1 },
    createdAt: 0,
    publishedAt: null,
    creator: {
      id: 'c1',
      username: 'chef_ana',
      displayName: 'Ana',
      avatarUrl: null,
      verified: false,
    },
    categories: ['recipes'],
    tags: ['knife', 'stirfry'],
    likedByMe: false,
    posterUrl: status === 'failed' ? null : `/media/poster-${hue}.svg`,
    playlistUrl: null,
    status,
    statusReason,
    progress: 100,
  }
}

const rejected = card(
  'v8',
  'Knife skills: julienne in 60 s',
  'rejected',
  'Graphic violence around 0:07 (video check)',
  20,
)
const failed = card('v9', 'Broken upload', 'failed', 'We could not read this file', 0)
const live = card('v7', 'Crispy tofu, three ways', 'published', null, 160)

const visitorComment = {
  id: 'k1',
  videoId: 'v8',
  parentId: null,
  body: 'worst knife work I have ever seen lol',
  createdAt: Date.now() - 3_600_000,
  author: { id: 'u2', username: 'troll_tim', displayName: 'Tim', avatarUrl: null },
  hidden: false,
  replies: [],
}

const categories = [
  {
    id: 'food',
    name: 'Food',
    description: '',
    icon: '🍜',
    position: 0,
    children: [
      { id: 'recipes', name: 'Recipes', description: '', icon: '' },
      { id: 'baking', name: 'Baking', description: '', icon: '' },
      { id: 'street-food', name: 'Street food', description: '', icon: '' },
    ],
  },
]

const json = answerJson()

const shoot = (page: Page, name: string, focus?: Locator) =>
  shootBoth(page, SHOTS, name, { before: async () => focus?.scrollIntoViewIfNeeded() })

async function main({ browser, base }: ShotsContext) {
  const sent: string[] = []
  let appeals: unknown[] = [
    {
      id: 'a0',
      subjectType: 'video',
      subjectId: 'v6',
      message: 'It is a cooking clip',
      status: 'upheld',
      response: 'The clip shows a fight in the last seconds',
      createdAt: 0,
      decidedAt: 1,
    },
  ]
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
      if (method !== 'GET') sent.push(`${method} ${path}`)
      if (path === '/api/auth/session') return json(route, { user: me })
      if (path === '/api/categories') return json(route, { categories })
      if (path === '/api/videos/v8' && method === 'GET') return json(route, { video: rejected })
      if (path === '/api/videos/v8/comments')
        return json(route, { comments: [visitorComment], nextCursor: null })
      if (path === '/api/comments/k1/hide') return json(route, { hidden: method === 'POST' })
      if (path === '/api/appeals' && method === 'GET') {
        const subjectId = url.searchParams.get('subjectId')
        return json(route, {
          appeals: subjectId
            ? appeals.filter((a) => (a as { subjectId: string }).subjectId === subjectId)
            : appeals,
        })
      }
      if (path === '/api/appeals' && method === 'POST') {
        const body = route.request().postDataJSON() as { subjectId: string; message: string }
        const appeal = {
          id: 'a1',
          subjectType: 'video',
          subjectId: body.subjectId,
          message: body.message,
          status: 'pending',
          response: null,
          createdAt: Date.now(),
          decidedAt: null,
        }
        appeals = [appeal, ...appeals]
        return json(route, { appeal }, 201)
      }
      if (path === '/api/me/videos')
        return json(route, {
          videos: [
            failed,
            rejected,
            { ...rejected, id: 'v6', title: 'Cleaver demo', posterUrl: '/media/poster-200.svg' },
            live,
          ],
          nextCursor: null,
        })
      if (path === '/api/videos/v9' && method === 'DELETE') return json(route, { ok: true })
      return json(
        route,
        { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
        404,
      )
    },
  )
  page.on('pageerror', (e) => step(`pageerror: ${e.message}`))

  // The clip page of one's own rejected clip.
  await page.goto(`${base}/v/v8`)
  const side = page.locator('.video-side')
  await side.getByRole('heading', { name: rejected.title }).waitFor()
  await page.getByRole('button', { name: 'Manage this clip' }).click()
  await page.getByRole('button', { name: 'Edit details' }).waitFor()
  await shoot(page, 'creator-clip-menu', side)
  await page.getByRole('button', { name: 'Delete clip' }).click()
  const confirm = page.getByRole('alertdialog')
  await confirm.waitFor()
  await shoot(page, 'creator-clip-delete-confirm', confirm)
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await page.getByRole('button', { name: 'Edit details' }).click()
  const form = page.getByRole('heading', { name: 'Edit clip' })
  await form.waitFor()
  await shoot(page, 'creator-clip-edit', form)
  await page.getByRole('button', { name: 'Cancel' }).click()
  step('clip ⋯: Edit details opens the form, Delete asks first')

  await page.getByRole('button', { name: 'Appeal this decision' }).click()
  await page
    .getByLabel('Why should a moderator look again?')
    .fill('This is a cooking tutorial: the knife only ever touches vegetables.')
  await shoot(page, 'creator-appeal-form', page.locator('.appeal-form'))
  await page.getByRole('button', { name: 'Send appeal' }).click()
  await page.getByTestId('appeal-outcome').waitFor()
  await shoot(page, 'creator-appeal-sent', page.getByTestId('appeal-outcome'))
  if (!sent.includes('POST /api/appeals')) throw new Error('no appeal sent')
  if (await page.getByRole('button', { name: 'Appeal this decision' }).count())
    throw new Error('appeal offered twice')
  step('appeal: sent once, then shown as pending')

  // Someone else's comment under the clip.
  const comment = page.getByTestId('comment').first()
  await comment.getByRole('button', { name: 'More options for this comment' }).click()
  await comment.getByRole('button', { name: 'Hide comment' }).waitFor()
  await shoot(page, 'creator-comment-menu', comment)
  await comment.getByRole('button', { name: 'Hide comment' }).click()
  await comment.getByText('only its author and you can see it').waitFor()
  await shoot(page, 'creator-comment-hidden', comment)
  if (!sent.includes('POST /api/comments/k1/hide')) throw new Error('hide not sent')
  step('comment: hidden, and marked for the creator')

  // My videos: a failed upload is deleted after confirming.
  await page.goto(`${base}/me/videos`)
  await page.getByRole('heading', { name: 'My videos' }).waitFor()
  await page.getByText('Appeal declined').waitFor()
  await shoot(page, 'creator-my-videos')
  await page.getByRole('button', { name: 'Delete Broken upload' }).click()
  await shoot(page, 'creator-my-videos-delete', page.getByRole('alertdialog'))
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
  await page.getByText('Deleted “Broken upload”').waitFor()
  if (await page.getByText('Broken upload', { exact: true }).count())
    throw new Error('deleted tile still shown')
  await shoot(page, 'creator-my-videos-deleted')
  if (!sent.includes('DELETE /api/videos/v9')) throw new Error('delete not sent')
  step('my videos: the failed upload is deleted and leaves the grid')
}

await runShots({ appDir: resolve(HERE, '..'), port: 5198, server: { proxy: {} } }, main)
