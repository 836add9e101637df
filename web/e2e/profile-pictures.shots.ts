// Screenshots of the profile picture and banner uploads in Settings at phone and desktop
// sizes, without starting the platform: the real app on Vite's dev server in Debian's
// headless Chromium, the API answered at the network boundary in the Worker's shapes
// (profile-images/images.test.ts covers the Worker itself). Checks the flow too: picking a
// file PUTs it and the stored picture is shown.
// Run: npx tsx e2e/profile-pictures.shots.ts (from web/).
import { mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Page, Route } from 'playwright-core'
import { createServer } from 'vite'
import { chromiumLaunchOptions } from '../../scripts/lib.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = resolve(HERE, '..', 'test-results', 'screenshots')
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }
const STORED = '/media/profiles/me/avatar-0b7c6f7e-1111-4222-8333-944445555666.png'

const me = {
  id: 'me',
  username: 'baker',
  email: 'baker@example.com',
  role: 'user',
  displayName: 'Baker',
  bio: 'Bread, mostly.',
  avatarUrl: null as string | null,
  bannerUrl: null,
  website: null,
  location: null,
  verified: false,
  banned: false,
  createdAt: 0,
  interests: [],
  profileReview: [],
}

function json(route: Route, body: unknown, status = 200) {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })
}

async function shoot(page: Page, name: string) {
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.waitForTimeout(200)
    await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`), fullPage: true })
  }
  await page.setViewportSize(PHONE)
}

async function main() {
  mkdirSync(SHOTS, { recursive: true })
  const server = await createServer({
    root: resolve(HERE, '..'),
    configFile: resolve(HERE, '..', 'vite.config.ts'),
    logLevel: 'error',
    server: { port: 5198, strictPort: true, proxy: {} },
  })
  await server.listen()
  const browser = await chromium.launch(chromiumLaunchOptions)
  const uploads: string[] = []
  try {
    const page = await browser.newPage({ viewport: PHONE })
    await page.route(
      (url) => url.pathname.startsWith('/media/'),
      (route) =>
        route.fulfill({
          contentType: 'image/svg+xml',
          body: '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="32" fill="#d9822b"/><text x="32" y="40" font-size="24" text-anchor="middle" fill="#fff">B</text></svg>',
        }),
    )
    await page.route(
      (url) => url.pathname.startsWith('/api/'),
      (route) => {
        const url = new URL(route.request().url())
        const method = route.request().method()
        if (url.pathname === '/api/auth/session') return json(route, { user: me })
        if (url.pathname === '/api/categories') return json(route, { categories: [] })
        if (url.pathname === '/api/me/avatar' && method === 'PUT') {
          uploads.push(route.request().headers()['content-type'] ?? '')
          me.avatarUrl = STORED
          return json(route, { user: me })
        }
        if (url.pathname === '/api/reports/mine') return json(route, { reports: [] })
        return json(
          route,
          { error: { code: 'not_found', message: 'Not found', requestId: 'x' } },
          404,
        )
      },
    )
    page.on('pageerror', (e) => console.log(`[shots] pageerror: ${e.message}`))
    await page.goto('http://127.0.0.1:5198/settings')
    await page.getByText('Profile picture').waitFor()
    await page.getByText('Profile picture').scrollIntoViewIfNeeded()
    await shoot(page, 'profile-pictures-empty')
    await page.locator('.picture-avatar input[type="file"]').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    })
    await page.getByAltText('Your profile picture').waitFor()
    if (uploads.join() !== 'image/png') throw new Error(`uploads: ${uploads.join()}`)
    await shoot(page, 'profile-pictures-uploaded')
    console.log(`\nSHOTS PASSED: ${SHOTS}`)
  } catch (err) {
    console.error(`\nSHOTS FAILED: ${err instanceof Error ? err.message : String(err)}`)
    process.exitCode = 1
  } finally {
    await browser.close()
    await server.close()
  }
}

await main()
