// End to end against a private copy of the local platform (own ports and
// state), in Debian's headless Chromium. Two clips go through the real
// pipeline (upload -> transcode -> moderate): one is published, one lands in
// review because of its title; a viewer's comment on the first is held by
// the classifier. A normal user cannot open the dashboard nor call its API.
// A moderator approves the video and rejects the comment with reasons; the
// public API reflects both; History shows both with the moderator's name.
// Screenshots of every page go to admin/test-results/screenshots.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import {
  chromiumLaunchOptions,
  makeTestClip,
  recentServiceOutput,
  stopServices,
} from '../../scripts/lib.mjs'
import { startPlatform } from '../../scripts/platform.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = resolve(HERE, '..', 'test-results', 'screenshots')
const PORTS = { workerPort: 8792, transcoderPort: 8793, adminPort: 5176 }
const DECIDE_TIMEOUT_MS = Number(process.env.E2E_DECIDE_TIMEOUT_MS ?? 240_000)
const MODERATOR = { email: 'moderator@clipstream.local', password: 'clipstream-mod' }
const ADMIN = { email: 'admin@clipstream.local', password: 'clipstream-admin' }

const run = Date.now().toString(36)
const publishedTitle = `Sunny skate session ${run}`
// Threats of several strengths. The test needs one title the text classifier holds without
// rejecting (the video goes to review) and one such comment (it goes to the queue). Which of these
// the shipped model holds moves with every retraining, so the test asks it at run time, with the
// Worker's own featuriser, model file, thresholds and decide() (`npm run classify:comments`), and
// uses the first two it holds. Each run has fresh state, so the texts need no run suffix (a suffix
// moves the classifier's character n-grams).
const THREAT_CANDIDATES = [
  'watch your back, i know where you live',
  'i know where you live. see you soon',
  'see you soon, watch your back',
  'you better sleep with one eye open',
  'keep talking and see what happens to you',
  'i know your address, be careful',
  'someone should teach you a lesson you will not forget',
  'one more video like this and you are done',
  'meet me outside and we will settle this',
  'i will hurt you',
  'i will find you',
  'i will kill you',
]

function heldByShippedModel(candidates: readonly string[]): string[] {
  const input = candidates.map((text, id) => JSON.stringify({ id, text })).join('\n')
  const out = execFileSync('npm', ['run', '-s', 'classify:comments'], {
    cwd: resolve(HERE, '..', '..'),
    input,
    encoding: 'utf8',
  })
  const held = out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: number; decision: string })
    .filter((r) => r.decision === 'held')
    .map((r) => candidates[r.id] as string)
  if (held.length < 2) {
    throw new Error(
      `the shipped classifier holds ${held.length} of the threat candidates (it needs 2); add milder or stronger ones to THREAT_CANDIDATES`,
    )
  }
  return held
}

const [reviewTitle, heldComment] = heldByShippedModel(THREAT_CANDIDATES) as [string, string]

function step(message: string) {
  console.log(`[admin e2e ${new Date().toISOString().slice(11, 19)}] ${message}`)
}

function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(`check failed: ${message}`)
}

type Json = Record<string, unknown>
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const field = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isJson(node) ? node[key] : undefined), v)

// A signed-in API client, as a browser on the Worker's own origin would be.
class Session {
  cookie = ''
  constructor(readonly base: string) {}
  async request(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        Origin: this.base,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
    const match = /cs_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')
    if (match?.[1]) this.cookie = `cs_session=${match[1]}`
    const text = await res.text()
    const json: unknown = text ? JSON.parse(text) : null
    return { status: res.status, json }
  }
}

async function signUp(base: string, name: string) {
  const s = new Session(base)
  const res = await s.request('POST', '/api/auth/register', {
    username: name,
    email: `${name}@example.test`,
    password: 'e2e-password-1',
    interests: ['sports'],
  })
  check(res.status === 201, `sign-up ${name}: ${JSON.stringify(res.json)}`)
  return { session: s, email: `${name}@example.test`, password: 'e2e-password-1' }
}

function makeClip(dir: string, name: string): Buffer {
  const out = join(dir, `${name}.mp4`)
  return readFileSync(makeTestClip(out, { size: '360x640', seconds: 3, preset: 'ultrafast' }))
}

async function upload(s: Session, file: Buffer, title: string): Promise<string> {
  const created = await s.request('POST', '/api/uploads', {
    title,
    description: '',
    categories: [],
    tags: [],
    fileName: 'clip.mp4',
    sizeBytes: file.byteLength,
    contentType: 'video/mp4',
  })
  check(created.status === 201, `upload refused: ${JSON.stringify(created.json)}`)
  const plan = field(created.json, 'upload')
  const videoId = String(field(plan, 'videoId'))
  const partSize = Number(field(plan, 'partSize'))
  const parts = field(plan, 'parts')
  check(Array.isArray(parts), 'upload plan has parts')
  for (const part of parts) {
    const n = Number(field(part, 'partNumber'))
    const start = (n - 1) * partSize
    const chunk = file.subarray(start, Math.min(file.byteLength, start + partSize))
    const res = await fetch(`${s.base}${String(field(part, 'url'))}`, {
      method: 'PUT',
      body: new Uint8Array(chunk),
    })
    check(res.status === 200, `part ${n}: ${res.status}`)
  }
  const done = await s.request('POST', `/api/uploads/${videoId}/complete`)
  check(done.status === 200 || done.status === 202, `complete: ${JSON.stringify(done.json)}`)
  return videoId
}

async function waitForDecision(s: Session, videoId: string): Promise<string> {
  const started = Date.now()
  const seen: string[] = []
  while (Date.now() - started < DECIDE_TIMEOUT_MS) {
    const res = await s.request('GET', `/api/videos/${videoId}`)
    const status = String(field(res.json, 'video', 'status') ?? `http ${res.status}`)
    if (seen.at(-1) !== status) seen.push(status)
    if (['published', 'in_review', 'rejected', 'failed'].includes(status)) return status
    await new Promise((r) => setTimeout(r, 1000))
  }
  throw new Error(`video ${videoId} was not decided; statuses: ${seen.join(' -> ')}`)
}

async function shoot(page: Page, name: string) {
  await page.mouse.move(0, 0)
  await page.waitForTimeout(400)
  const path = join(SHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  step(`screenshot ${path}`)
}

async function logIn(page: Page, adminUrl: string, who: { email: string; password: string }) {
  await page.goto(adminUrl, { waitUntil: 'domcontentloaded' })
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Log in' }).click()
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const state = mkdtempSync(join(tmpdir(), 'clipstream-admin-e2e-'))
  let browser: Browser | null = null
  try {
    step(`the shipped classifier holds "${reviewTitle}" (title) and "${heldComment}" (comment)`)
    step('starting the platform on ports 8792/8793/5176')
    const urls = await startPlatform({ ...PORTS, persistTo: state, admin: true, quiet: true })
    const api = urls.workerUrl
    const adminUrl = urls.adminUrl
    check(adminUrl !== null, 'the admin dashboard started')

    step('creator uploads two clips through the real pipeline')
    const creator = await signUp(api, `creator_${run}`)
    const viewer = await signUp(api, `viewer_${run}`)
    const clip = makeClip(state, 'clip')
    const publishedId = await upload(creator.session, clip, publishedTitle)
    const reviewId = await upload(creator.session, clip, reviewTitle)
    const [firstStatus, secondStatus] = await Promise.all([
      waitForDecision(creator.session, publishedId),
      waitForDecision(creator.session, reviewId),
    ])
    step(`decided: "${publishedTitle}" ${firstStatus}, "${reviewTitle}" ${secondStatus}`)
    check(firstStatus === 'published', `first clip published (was ${firstStatus})`)
    check(secondStatus === 'in_review', `second clip in review (was ${secondStatus})`)

    step('viewer comments; the classifier holds it')
    const posted = await viewer.session.request('POST', `/api/videos/${publishedId}/comments`, {
      body: heldComment,
    })
    const commentId = String(field(posted.json, 'comment', 'id'))
    const commentStatus = field(posted.json, 'moderation', 'status')
    check(commentStatus === 'held', `comment held (was ${JSON.stringify(posted.json)})`)
    await viewer.session.request('POST', '/api/reports', {
      subjectType: 'video',
      subjectId: publishedId,
      reason: 'spam',
      details: 'posted the same clip twice',
    })

    browser = await chromium.launch(chromiumLaunchOptions)
    const viewport = { width: 1440, height: 900 }

    step('a normal user cannot open the dashboard nor call its API')
    const userPage = await (await browser.newContext({ viewport })).newPage()
    await logIn(userPage, adminUrl, viewer)
    await userPage.getByRole('heading', { name: 'No access' }).waitFor()
    await shoot(userPage, '00-no-access')
    const fromBrowser = await userPage.evaluate(async (base) => {
      const res = await fetch(`${base}/api/admin/overview`, { credentials: 'include' })
      return res.status
    }, api)
    check(fromBrowser === 403, `viewer's browser gets 403 from the admin API (got ${fromBrowser})`)
    for (const path of ['/api/admin/history', '/api/moderation/videos', '/api/admin/users']) {
      const res = await viewer.session.request('GET', path)
      check(res.status === 403, `viewer ${path}: ${res.status}`)
    }

    step('moderator logs in')
    const page = await (await browser.newContext({ viewport })).newPage()
    await logIn(page, adminUrl, MODERATOR)
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    await page.getByText('videos in review').waitFor()
    await page.locator('.recharts-surface').first().waitFor()
    await shoot(page, '01-overview')

    step('video queue: approve the clip in review')
    await page.getByRole('link', { name: 'Video queue' }).click()
    const detail = page.getByRole('article', { name: 'Video under review' })
    await detail.getByRole('heading', { name: reviewTitle }).waitFor()
    await detail.getByRole('list', { name: 'Frame strip' }).waitFor()
    await page.waitForTimeout(1500)
    // Frames and the player load from the Worker's /media on another origin.
    const media = await page.evaluate(() => {
      const frames = [...document.querySelectorAll<HTMLImageElement>('.frames img')]
      const video = document.querySelector('video')
      return {
        frames: frames.length,
        framesLoaded: frames.filter((img) => img.complete && img.naturalWidth > 0).length,
        playerReady: video ? video.readyState : -1,
      }
    })
    step(
      `media from the dashboard's origin: ${media.framesLoaded}/${media.frames} frames loaded, player readyState ${media.playerReady}`,
    )
    await shoot(page, '02-video-queue')
    // The real clip's detail fits beside the list at 1280, and nothing scrolls sideways on a
    // phone (issue 15: the frame strip had made the detail 2,490 px wide).
    for (const size of [
      { width: 1280, height: 800 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(size)
      await page.waitForTimeout(300)
      const fit = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        detailRight: Math.round(
          document.querySelector('article.detail')?.getBoundingClientRect().right ?? 0,
        ),
      }))
      step(`video queue at ${size.width}: ${JSON.stringify(fit)}`)
      check(fit.scroll <= size.width, `the video queue scrolls sideways at ${size.width}`)
      check(fit.detailRight <= size.width, `the video detail is off-screen at ${size.width}`)
    }
    await shoot(page, '02b-video-queue-phone')
    await page.setViewportSize(viewport)
    await page.getByLabel('Reason').fill('Skating banter, not harassment')
    await page.getByRole('button', { name: /^Approve/ }).click()
    await page.getByText('Approved 1 video').waitFor()

    step('comment queue: reject the held comment with a reason')
    await page.getByRole('link', { name: 'Comment queue' }).click()
    const commentDetail = page.getByRole('article', { name: 'Comment under review' })
    await commentDetail.getByText(heldComment, { exact: true }).waitFor()
    await shoot(page, '03-comment-queue')
    await page.getByLabel('Reason').fill('Insults another viewer')
    await page.getByRole('button', { name: /^Reject/ }).click()
    await page.getByText('Rejected 1 comment').waitFor()

    step('the public site reflects both decisions')
    const anonymous = new Session(api)
    const publicVideo = await anonymous.request('GET', `/api/videos/${reviewId}`)
    check(publicVideo.status === 200, `approved video is public (${publicVideo.status})`)
    const ownView = await creator.session.request('GET', `/api/videos/${reviewId}`)
    check(field(ownView.json, 'video', 'status') === 'published', 'approved video is published')
    const publicComments = await anonymous.request('GET', `/api/videos/${publishedId}/comments`)
    const listed = field(publicComments.json, 'comments')
    check(Array.isArray(listed), 'comments listed')
    check(!listed.some((c) => field(c, 'id') === commentId), 'rejected comment is not public')
    const site = await (
      await browser.newContext({ viewport: { width: 390, height: 844 } })
    ).newPage()
    // Not the load event: a clip page's media can keep it pending (it timed out once in a
    // clean-clone CI run); the next line waits for what is checked.
    await site.goto(`${api}/v/${reviewId}`, { waitUntil: 'domcontentloaded' })
    await site.getByText(reviewTitle).first().waitFor({ timeout: 20_000 })
    await shoot(site, '04-public-video-approved')

    step('history shows both actions with the moderator')
    await page.getByRole('link', { name: 'History' }).click()
    await page.getByLabel('Moderator').fill('moderator')
    const filtered = page.waitForResponse(
      (r) => r.url().includes('/api/admin/history') && r.url().includes('actor=moderator'),
    )
    await page.getByRole('button', { name: 'Apply' }).click()
    await filtered
    await page.waitForTimeout(300)
    const events = page.getByRole('table', { name: 'Moderation events' })
    const approvedRow = events.getByRole('row').filter({ hasText: reviewId })
    const rejectedRow = events.getByRole('row').filter({ hasText: commentId })
    await approvedRow.getByText('published', { exact: true }).waitFor()
    await rejectedRow.getByText('rejected', { exact: true }).waitFor()
    check(
      (await approvedRow.textContent())?.includes('moderator') === true,
      'approval by moderator',
    )
    check(
      (await rejectedRow.textContent())?.includes('moderator') === true,
      'rejection by moderator',
    )
    await shoot(page, '05-history')
    await rejectedRow.getByRole('button').click()
    await page
      .getByRole('region', { name: 'Subject timeline' })
      .getByText(/moderator: rejected — Insults another viewer/)
      .waitFor()
    await shoot(page, '06-history-timeline')

    step('reports and thresholds')
    await page.getByRole('link', { name: 'Reports' }).click()
    await page.getByText(publishedTitle).waitFor()
    await shoot(page, '07-reports')
    await page.getByRole('link', { name: 'Thresholds' }).click()
    await page.getByRole('tab', { name: 'Comments' }).click()
    await page.getByLabel('Comment classifier HR hold').fill('0.3')
    await page.getByRole('button', { name: 'Preview changes' }).click()
    await page.getByText(/recent decisions\s+would change/).waitFor()
    await shoot(page, '08-thresholds')
    // Video signals: with the text check's hate, hateful-threat and violence review thresholds
    // raised, the clip it sent to review would be published. The preview names it by its
    // title, once.
    await page.getByRole('tab', { name: 'Video signals' }).click()
    for (const category of ['H', 'H2', 'V']) {
      await page.getByLabel(`Title and description text ${category} review`).fill('0.99')
    }
    await page.getByRole('button', { name: 'Preview changes' }).click()
    const preview = page.getByLabel('Preview')
    await preview.getByText(reviewTitle, { exact: true }).waitFor()
    const rows = await preview.getByRole('listitem').allTextContents()
    step(`video preview: ${JSON.stringify(rows)}`)
    check(
      rows.filter((r) => r.startsWith(`${reviewTitle} `)).length === 1,
      'the preview lists the clip once',
    )
    check(!rows.some((r) => r.includes(reviewId)), 'the preview shows titles, not ids')
    await shoot(page, '08b-thresholds-video-preview')

    step('admin: users page')
    const adminPage = await (await browser.newContext({ viewport })).newPage()
    await logIn(adminPage, adminUrl, ADMIN)
    await adminPage.getByRole('link', { name: 'Users' }).click()
    await adminPage.getByLabel('Search').fill('viewer_')
    await adminPage.getByRole('button', { name: 'Search' }).click()
    await adminPage.getByText(`viewer_${run}`, { exact: true }).click()
    await adminPage.getByRole('article', { name: 'User activity' }).waitFor()
    await shoot(adminPage, '09-users')
    step(`all checks passed; screenshots in ${SHOTS}`)
  } finally {
    await browser?.close()
    stopServices()
    rmSync(state, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    console.error(`\nLast lines from the Worker and the transcoder:\n${recentServiceOutput()}`)
    process.exit(1)
  },
)
