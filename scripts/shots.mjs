// What every screenshot script (web/e2e and admin/e2e `*.shots.ts`) shares: the real app on
// Vite's dev server in Debian's headless Chromium, the API answered at the network boundary
// by fixtures, each picture taken at phone and desktop size. Each script keeps only its
// fixtures and its steps.
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { createServer } from 'vite'
import { chromiumLaunchOptions } from './lib.mjs'

export const PHONE = { width: 390, height: 844 }
export const DESKTOP = { width: 1280, height: 800 }

// Where the pictures go: SHOTS_DIR, else the app's test-results/screenshots.
export function shotsDir(appDir) {
  return process.env.SHOTS_DIR ?? resolve(appDir, 'test-results', 'screenshots')
}

export function step(message) {
  console.log(`[shots] ${message}`)
}

// A signed-in account as `/api/me` answers it: the walk-throughs name only what they show.
export function accountRecord(fields) {
  return {
    role: 'user',
    email: `${fields.username}@example.com`,
    bio: '',
    avatarUrl: null,
    bannerUrl: null,
    website: '',
    location: '',
    verified: false,
    banned: false,
    createdAt: 0,
    interests: [],
    profileReview: [],
    ...fields,
  }
}

// A JSON answer for a routed request. The admin dashboard runs on its own origin and calls
// the API with credentials, so its answers name that origin.
export function answerJson(origin) {
  const cors = origin
    ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' }
    : {}
  return (route, body, status = 200) =>
    route.fulfill({
      status,
      contentType: 'application/json',
      headers: cors,
      body: JSON.stringify(body),
    })
}

// `{name}-phone.png` and `{name}-desktop.png`; `before` runs once the viewport is set (scroll
// something into view), `after` once the picture is taken (checks on the layout).
export async function shootBoth(page, dir, name, options = {}) {
  const { fullPage = false, before, after, settleMs = 250, end = PHONE } = options
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    await page.setViewportSize(viewport)
    if (before) await before(page, size)
    await page.waitForTimeout(settleMs)
    await page.screenshot({ path: resolve(dir, `${name}-${size}.png`), fullPage })
    if (after) await after(page, size, viewport)
  }
  await page.setViewportSize(end)
}

// Starts Vite for the app in `appDir` on `port`, launches Chromium, runs `body`, says
// SHOTS PASSED or SHOTS FAILED (exit code 1) and stops both whatever happened.
export async function runShots({ appDir, port, env = {}, server = {} }, body) {
  const dir = shotsDir(appDir)
  mkdirSync(dir, { recursive: true })
  Object.assign(process.env, env)
  const vite = await createServer({
    root: appDir,
    configFile: resolve(appDir, 'vite.config.ts'),
    logLevel: 'error',
    server: { port, strictPort: true, ...server },
  })
  await vite.listen()
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    await body({ browser, base: `http://127.0.0.1:${port}`, dir })
    console.log(`\nSHOTS PASSED: ${dir}`)
  } catch (err) {
    console.error(`\nSHOTS FAILED: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
  } finally {
    await browser.close()
    await vite.close()
  }
}
