// Screenshots of the profile picture and banner uploads in Settings at phone and desktop
// sizes, without starting the platform: the real app on Vite's dev server in Debian's
// headless Chromium, the API answered at the network boundary in the Worker's shapes
// (profile-images/images.test.ts covers the Worker itself). Checks the flow too: picking a
// file PUTs it and the stored picture is shown.
// Run: npx tsx e2e/profile-pictures.shots.ts (from web/).
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import {
  PHONE,
  answerJson,
  runShots,
  shootBoth,
  shotsDir,
  type ShotsContext,
} from '../../scripts/shots.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = shotsDir(resolve(HERE, '..'))
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

const json = answerJson()

const shoot = (page: Page, name: string) => shootBoth(page, SHOTS, name, { fullPage: true })

async function main({ browser }: ShotsContext) {
  const uploads: string[] = []
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
}

await runShots({ appDir: resolve(HERE, '..'), port: 5198, server: { proxy: {} } }, main)
