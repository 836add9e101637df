// Screenshots of the seeded demo content on a running platform (`npm start`, after the
// seeding has finished): the feed as a newcomer and as a signed-in demo user, Explore, a
// creator's profile and the admin dashboard's overview, at phone and desktop sizes, in
// Debian's headless Chromium. Pictures: web/test-results/screenshots/demo-*.png (and
// admin/test-results/screenshots/demo-overview-*.png).
// Usage: node scripts/demo-shots.mjs [workerUrl] [adminUrl]
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { ADMIN_PORT, chromiumLaunchOptions, ROOT, WORKER_URL } from './lib.mjs'
import { DESKTOP, PHONE, shootBoth, shotsDir, step } from './shots.mjs'

const base = process.argv[2] ?? WORKER_URL
const adminUrl = process.argv[3] ?? `http://127.0.0.1:${ADMIN_PORT}`
const webShots = shotsDir(join(ROOT, 'web'))
const adminShots = shotsDir(join(ROOT, 'admin'))
const OPEN = { waitUntil: 'domcontentloaded' }

// Waits until the page shows clips (a poster or a playing video) and the pictures loaded.
async function settle(page) {
  await page.waitForSelector('video, img[src*="poster"]', { timeout: 20_000 })
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {})
  await page.waitForTimeout(1500)
}

async function logIn(page, url, email, password) {
  await page.goto(`${url}/login`, OPEN)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 })
}

async function main() {
  mkdirSync(webShots, { recursive: true })
  mkdirSync(adminShots, { recursive: true })
  const browser = await chromium.launch(chromiumLaunchOptions)
  try {
    const anon = await browser.newPage({ viewport: PHONE })
    const visit = async (path, name, dir = webShots) => {
      await shootBoth(anon, dir, name, {
        before: async () => {
          await anon.goto(`${base}${path}`, OPEN)
          await settle(anon)
        },
      })
      step(`${name}-{phone,desktop}.png: ${path}`)
    }
    await visit('/', 'demo-feed')
    await visit('/explore', 'demo-explore')
    await visit('/u/theo', 'demo-profile')

    const lena = await browser.newPage({ viewport: PHONE })
    await logIn(lena, base, 'lena@clipstream.local', 'clipstream-demo')
    await shootBoth(lena, webShots, 'demo-feed-lena', {
      before: async () => {
        await lena.goto(`${base}/`, OPEN)
        await settle(lena)
      },
    })
    step('demo-feed-lena-{phone,desktop}.png: / signed in as lena')

    const admin = await browser.newPage({ viewport: PHONE })
    await admin.goto(adminUrl, OPEN)
    await admin.getByLabel('Email').fill('admin@clipstream.local')
    await admin.getByLabel('Password').fill('clipstream-admin')
    await admin.getByRole('button', { name: 'Log in' }).click()
    await admin.waitForSelector('svg', { timeout: 20_000 })
    await shootBoth(admin, adminShots, 'demo-overview', {
      // The whole page, by making the window as tall as the page rather than with fullPage:
      // that resizes the page while it shoots, and the charts, which animate in after each
      // resize, came out empty. The pointer stays where Log in was clicked, over a chart,
      // and would hold a tooltip open.
      before: async (page, size) => {
        await page.mouse.move(0, 0)
        await page.waitForTimeout(1000)
        const height = await page.evaluate('document.documentElement.scrollHeight')
        await page.setViewportSize({ width: (size === 'phone' ? PHONE : DESKTOP).width, height })
        await page.waitForTimeout(2500)
      },
    })
    step('demo-overview-{phone,desktop}.png: the admin overview')
  } finally {
    await browser.close()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
