// Viewer app budget: gzip size of the JavaScript the first route needs
// (hls.js excluded: it is loaded lazily, and only without native HLS), and,
// when the platform is up, the time from navigation to the first video frame
// playing in headless Chromium. Prints JSON.
//
//   npx tsx bench/web/run.ts              (builds web/ first)
//   npx tsx bench/web/run.ts --no-build   (measures web/dist as it is)
//   CLIPSTREAM_URL=http://127.0.0.1:8787 npx tsx bench/web/run.ts
// --no-build measures exactly what a running platform is serving.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from '../../scripts/lib.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const DIST = join(ROOT, 'web', 'dist')
const BASE = process.env.CLIPSTREAM_URL ?? 'http://127.0.0.1:8787'
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const BUDGET_KB = 200

const gzipKb = (file: string) =>
  Math.round((gzipSync(readFileSync(file), { level: 9 }).length / 1024) * 10) / 10

function firstRouteJs() {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  // The entry script and every chunk the page preloads: what runs before the feed shows.
  const referenced = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].flatMap((m) =>
    m[1] ? [m[1]] : [],
  )
  const all = readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'))
  const files = referenced.map((f) => ({ file: f, gzipKb: gzipKb(join(DIST, f)) }))
  const lazy = all
    .filter((f) => !referenced.includes(`assets/${f}`))
    .map((f) => ({ file: `assets/${f}`, gzipKb: gzipKb(join(DIST, 'assets', f)) }))
  const total = Math.round(files.reduce((s, f) => s + f.gzipKb, 0) * 10) / 10
  const hlsInFirstRoute = files.some((f) => f.file.includes('hls'))
  return {
    files,
    totalGzipKb: total,
    budgetKb: BUDGET_KB,
    withinBudget: total <= BUDGET_KB,
    hlsInFirstRoute,
    lazy,
  }
}

// Runs in the page before the app. A string, not a function: tsx would wrap
// named functions in a helper that does not exist in the browser.
// The first presented frame when the browser reports frames; otherwise the
// first time update with the clock moving (at most ~250 ms late).
const FIRST_FRAME_PROBE = `
  const mark = (at) => { window.__firstFrameAt ??= at }
  document.addEventListener('playing', (e) => {
    const v = e.target
    if (v instanceof HTMLVideoElement && 'requestVideoFrameCallback' in v) {
      v.requestVideoFrameCallback(() => mark(performance.now()))
    }
  }, true)
  document.addEventListener('timeupdate', (e) => {
    const v = e.target
    if (v instanceof HTMLVideoElement && v.currentTime > 0) mark(performance.now())
  }, true)
`

// Makes the browser claim it cannot play HLS, so the app takes the hls.js path.
const WITHOUT_NATIVE_HLS = `
  const canPlay = HTMLMediaElement.prototype.canPlayType
  HTMLMediaElement.prototype.canPlayType = function (type) {
    return /mpegurl/i.test(type) ? '' : canPlay.call(this, type)
  }
`

async function platformUp() {
  try {
    const res = await fetch(`${BASE}/api/health`, { signal: AbortSignal.timeout(3000) })
    return res.ok
  } catch {
    return false
  }
}

async function firstFrame(forceHlsJs: boolean) {
  if (!(await platformUp())) return { measured: false, reason: `no platform at ${BASE}` }
  const browser = await chromium.launch(chromiumLaunchOptions)
  const times: number[] = []
  try {
    for (let i = 0; i < RUNS; i++) {
      // A fresh context per run: nothing cached, like a first visit.
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
      const page = await context.newPage()
      await page.addInitScript(FIRST_FRAME_PROBE)
      if (forceHlsJs) await page.addInitScript(WITHOUT_NATIVE_HLS)
      await page.goto(`${BASE}/`)
      const handle = await page
        .waitForFunction(
          () => (window as unknown as { __firstFrameAt?: number }).__firstFrameAt,
          undefined,
          {
            timeout: 30_000,
          },
        )
        .catch(() => null)
      const at = handle ? Number(await handle.jsonValue()) : NaN
      await context.close()
      if (!Number.isFinite(at))
        return { measured: false, reason: 'no clip started playing within 30 s (empty feed?)' }
      times.push(Math.round(at))
    }
  } finally {
    await browser.close()
  }
  const sorted = [...times].sort((a, b) => a - b)
  return {
    measured: true,
    url: BASE,
    player: forceHlsJs ? 'hls.js (lazy chunk)' : 'native HLS',
    runs: times.length,
    viewport: '390x844',
    msFromNavigationToFirstFrame: {
      median: sorted[Math.floor(sorted.length / 2)],
      min: sorted[0],
      max: sorted[sorted.length - 1],
      all: times,
    },
  }
}

if (!process.argv.includes('--no-build')) {
  execFileSync('npm', ['run', 'build', '-w', 'web'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
console.log(
  JSON.stringify(
    {
      bench: 'web',
      firstRouteJs: firstRouteJs(),
      firstFrame: await firstFrame(false),
      firstFrameHlsJs: await firstFrame(true),
    },
    null,
    2,
  ),
)
