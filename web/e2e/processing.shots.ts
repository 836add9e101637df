// Screenshots of an upload's stages at phone and desktop sizes, without starting the platform:
// the real app on Vite's dev server in Debian's headless Chromium, with the API answered at the
// network boundary in the Worker's response shapes. Walks one clip through uploading,
// processing (the bar only ever moves forward), checking and each result, and checks that
// every stage is named and the steps above the bar say where the clip is.
// Run: npx tsx e2e/processing.shots.ts (from web/); SHOTS_DIR overrides where shots go.
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
  id: 'c1',
  username: 'chef_ana',
  email: 'ana@example.com',
  displayName: 'Ana',
})

const FILE_BYTES = 3 * 1024 * 1024
const PART_BYTES = 1024 * 1024

interface ServerState {
  status: string
  progress: number
  statusReason: string | null
}

function card(state: ServerState) {
  return {
    id: 'v1',
    title: 'Crispy tofu, three ways',
    description: '',
    durationSeconds: 22,
    width: 720,
    height: 1280,
    visibility: 'public',
    counts: { views: 0, likes: 0, comments: 0 },
    createdAt: 0,
    publishedAt: null,
    creator: {
      id: 'c1',
      username: 'chef_ana',
      displayName: 'Ana',
      avatarUrl: null,
      verified: false,
    },
    categories: [],
    tags: [],
    likedByMe: false,
    posterUrl: null,
    playlistUrl: null,
    ...state,
  }
}

const plan = {
  videoId: 'v1',
  mode: 'multipart',
  partSize: PART_BYTES,
  partCount: 3,
  sizeBytes: FILE_BYTES,
  parts: [1, 2, 3].map((partNumber) => ({
    partNumber,
    url: `/signed/upload/v1/${partNumber}?sig=s`,
  })),
  uploadedParts: [],
  expiresAt: Date.now() + 3_600_000,
}

const json = answerJson()

const shoot = (page: Page, name: string) =>
  shootBoth(page, SHOTS, name, {
    // Nothing may push the phone's page sideways.
    after: async (_, size, viewport) => {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      if (wide > viewport.width) throw new Error(`${name} at ${size}: page is ${wide} px wide`)
    },
  })

// Waits until the steps read `label:state` each, in order.
async function stepsSay(page: Page, expected: string[]) {
  await page.waitForFunction(
    (want) =>
      [...document.querySelectorAll('[data-testid="pipeline-steps"] li')]
        .map(
          (li) =>
            `${li.querySelector('.pipeline-label')?.textContent}:${li.getAttribute('data-state')}`,
        )
        .join(' ') === want.join(' '),
    expected,
    { timeout: 10_000 },
  )
}

async function main({ browser, base }: ShotsContext) {
  let server: ServerState = {
    status: 'processing',
    progress: 0,
    statusReason: 'Waiting for the transcoder',
  }
  // Parts 2 and 3 wait here so the upload can be photographed under way.
  const held: Array<() => void> = []
  const page = await browser.newPage({ viewport: PHONE })
  await page.route(
    (url) => url.pathname.startsWith('/api/') || url.pathname.startsWith('/signed/'),
    async (route) => {
      const request = route.request()
      const path = new URL(request.url()).pathname
      const method = request.method()
      if (path.startsWith('/signed/upload/v1/')) {
        if (!path.endsWith('/1')) await new Promise<void>((go) => held.push(go))
        return route.fulfill({ status: 200, headers: { ETag: '"e"' }, body: '' })
      }
      if (path === '/api/auth/session') return json(route, { user: me })
      if (path === '/api/categories') return json(route, { categories: [] })
      if (path === '/api/uploads' && method === 'POST')
        return json(
          route,
          { video: card({ status: 'uploading', progress: 0, statusReason: null }), upload: plan },
          201,
        )
      if (path === '/api/uploads/v1/complete') return json(route, { video: card(server) })
      if (path === '/api/videos/v1') return json(route, { video: card(server) })
      return json(
        route,
        { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
        404,
      )
    },
  )
  page.on('pageerror', (e) => step(`pageerror: ${e.message}`))

  await page.goto(`${base}/upload`)
  await page.getByTestId('file-input').setInputFiles({
    name: 'crispy-tofu.mp4',
    mimeType: 'video/mp4',
    buffer: Buffer.alloc(FILE_BYTES, 1),
  })
  await page.getByRole('button', { name: 'Upload', exact: true }).click()
  await page.getByTestId('upload-progress').waitFor()
  await stepsSay(page, [
    'Uploading:current',
    'Processing:upcoming',
    'Check:upcoming',
    'Publish:upcoming',
  ])
  await shoot(page, 'processing-1-uploading')
  step(`uploading: ${await page.getByTestId('upload-percent').textContent()}`)
  for (const go of held.splice(0)) go()
  // Parts may still be arriving.
  const release = setInterval(() => {
    for (const go of held.splice(0)) go()
  }, 50)

  const status = page.getByTestId('processing-status')
  await status.waitFor()
  clearInterval(release)
  const heading = status.locator('h2')
  const percent = page.getByTestId('processing-percent')

  // The transcoder's reports, as the Worker stores them; 12 after 30 is a retried attempt.
  const seen: string[] = []
  for (const [progress, reason] of [
    [12, 'Preparing playback versions'],
    [30, 'Preparing playback versions'],
    [12, 'Preparing playback versions'],
    [46, 'Preparing playback versions'],
  ] as const) {
    server = { status: 'processing', progress, statusReason: reason }
    await page.waitForFunction(
      (want) => document.querySelector('[data-testid="status-reason"]')?.textContent === want,
      reason,
    )
    await page.waitForTimeout(2200)
    seen.push((await percent.textContent()) ?? '')
  }
  step(`processing percents shown: ${seen.join(' ')}`)
  if (seen.join(' ') !== '12% 30% 30% 46%') throw new Error(`the bar went ${seen.join(' ')}`)
  if ((await heading.textContent()) !== 'Processing your clip')
    throw new Error('processing heading')
  await stepsSay(page, [
    'Uploaded:done',
    'Processing:current',
    'Check:upcoming',
    'Publish:upcoming',
  ])
  await shoot(page, 'processing-2-processing')

  // The transcoder's frame check: still `processing` on the server, shown under Check.
  server = { status: 'processing', progress: 85, statusReason: 'Checking frames' }
  await heading.getByText('Checking your clip').waitFor()
  await stepsSay(page, ['Uploaded:done', 'Processed:done', 'Checking:current', 'Publish:upcoming'])
  if ((await percent.textContent()) !== '85%') throw new Error('frame check percent')
  await shoot(page, 'processing-2b-frame-check')
  step('frame check: under Check, the bar still counting (85%)')

  server = { status: 'moderating', progress: 100, statusReason: 'Checking your video' }
  await heading.getByText('Checking your clip').waitFor()
  await stepsSay(page, ['Uploaded:done', 'Processed:done', 'Checking:current', 'Publish:upcoming'])
  await shoot(page, 'processing-3-checking')
  step('checking: its own stage, with the steps behind it done')

  server = { status: 'published', progress: 100, statusReason: null }
  await heading.getByText('Published').waitFor()
  await stepsSay(page, ['Uploaded:done', 'Processed:done', 'Checked:done', 'Published:done'])
  await shoot(page, 'processing-4-published')
  step('published: every step done, with a link to the clip')

  // The other endings, on a fresh page each (the status page stops polling at a final state).
  for (const [name, state, steps] of [
    [
      'processing-5-held',
      { status: 'in_review', progress: 100, statusReason: 'A check is pending' },
      ['Uploaded:done', 'Processed:done', 'Checked:done', 'Held for review:waiting'],
    ],
    [
      'processing-6-failed',
      {
        status: 'failed',
        progress: 30,
        statusReason: 'The video is damaged: some frames cannot be decoded.',
      },
      ['Uploaded:done', 'Failed:stopped', 'Check:upcoming', 'Publish:upcoming'],
    ],
  ] as const) {
    server = { ...state }
    await page.goto(`${base}/upload`)
    await page.getByTestId('file-input').setInputFiles({
      name: 'crispy-tofu.mp4',
      mimeType: 'video/mp4',
      buffer: Buffer.alloc(FILE_BYTES, 1),
    })
    await page.getByRole('button', { name: 'Upload', exact: true }).click()
    const timer = setInterval(() => {
      for (const go of held.splice(0)) go()
    }, 50)
    await status.waitFor()
    await stepsSay(page, [...steps])
    clearInterval(timer)
    await shoot(page, name)
    step(`${state.status}: ${steps.join(', ')}`)
  }
}

await runShots({ appDir: resolve(HERE, '..'), port: 5194, server: { proxy: {} } }, main)
