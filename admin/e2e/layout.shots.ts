// Layout check and screenshots of the overview, the queues, the video detail and the thresholds
// preview at a phone (390x844) and a desktop (1280x800) size, without starting the platform: the
// dashboard on Vite's dev server in Debian's headless Chromium, the API answered at the network
// boundary in the Worker's shapes. Fails when a page scrolls sideways, when the video detail is
// wider than the space it has, or when the phone hides the page behind the sidebar.
// Run: npx tsx e2e/layout.shots.ts (from admin/); SHOTS_DIR picks another folder.
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import {
  DESKTOP,
  PHONE,
  runShots,
  shootBoth,
  shotsDir,
  step,
  type ShotsContext,
} from '../../scripts/shots.mjs'
import { API, UI, UI_PORT, answer } from './layout.fixtures'

const HERE = dirname(fileURLToPath(import.meta.url))
const SHOTS = shotsDir(resolve(HERE, '..'))

const failures: string[] = []
// How wide the document and the page's own area are: a page that scrolls sideways has a
// scrollWidth over the viewport's width.
async function measure(page: Page, name: string, size: string) {
  const m = await page.evaluate(() => {
    const main = document.querySelector('main')
    const detail = document.querySelector('article.detail')
    return {
      viewport: window.innerWidth,
      scroll: document.documentElement.scrollWidth,
      main: main ? Math.round(main.getBoundingClientRect().width) : 0,
      detail: detail ? Math.round(detail.getBoundingClientRect().width) : null,
      detailRight: detail ? Math.round(detail.getBoundingClientRect().right) : null,
    }
  })
  step(`${name} ${size}: ${JSON.stringify(m)}`)
  if (m.scroll > m.viewport) failures.push(`${name} ${size} scrolls sideways (${m.scroll} px)`)
  // Nor may a box inside the page scroll sideways on a phone: a table that did hid its right-hand
  // columns (the explanation, the frame statistics) behind a swipe. The frame strip is the one
  // exception, a film strip made to be swiped.
  if (size === 'phone') {
    const inner = await page.evaluate(() =>
      [...document.querySelectorAll('main *')]
        .filter((el) => {
          if (el.closest('.frames')) return false
          const { overflowX } = getComputedStyle(el)
          const scrolls = overflowX === 'auto' || overflowX === 'scroll'
          if (scrolls && el.scrollWidth > el.clientWidth + 1) return true
          // A table wider than the box that holds it spills over the box's edge.
          const parent = el.parentElement
          if (el.tagName !== 'TABLE' || parent === null) return false
          const style = getComputedStyle(parent)
          const room =
            parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
          return el.getBoundingClientRect().width > room + 1
        })
        .map(
          (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.scrollWidth} px`,
        ),
    )
    for (const box of inner)
      failures.push(`${name} ${size}: ${box} scrolls sideways inside the page`)
  }
  // A phone gives the page (nearly) the whole width; a desktop keeps a sidebar beside it.
  const room = size === 'phone' ? m.viewport * 0.9 : m.viewport - 240
  if (m.main < room) failures.push(`${name} ${size}: the page gets ${m.main} px`)
  if (m.detailRight !== null && m.detailRight > m.viewport)
    failures.push(`${name} ${size}: the detail ends at ${m.detailRight} px`)
}

// At both sizes; with a part, scrolled so that part is in view.
const shoot = (page: Page, name: string, part?: (page: Page) => Locator) =>
  shootBoth(page, SHOTS, name, {
    before: async (_, size) => {
      if (part) await part(page).evaluate((el) => el.scrollIntoView())
      await page.waitForTimeout(300)
      await measure(page, name, size)
    },
    settleMs: 0,
    end: DESKTOP,
  })

async function main({ browser }: ShotsContext) {
  const page = await browser.newPage({ viewport: DESKTOP })
  await page.route((url) => url.origin === API, answer)
  page.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('404')) failures.push(`console: ${m.text()}`)
  })

  await page.goto(`${UI}/`)
  await page.getByRole('heading', { name: 'Recommendations' }).waitFor()
  // recharts animates its bars and lines in: shoot once they are drawn.
  await page.waitForTimeout(1500)
  await shoot(page, 'overview')
  await shoot(page, 'overview-overturns', (p) =>
    p.getByRole('heading', { name: 'Human overturn rate' }),
  )
  await shoot(page, 'overview-recs', (p) => p.getByRole('heading', { name: 'Recommendations' }))

  await page.goto(`${UI}/videos`)
  await page.getByRole('article', { name: 'Video under review' }).waitFor()
  await shoot(page, 'video-queue')
  // The signals table: on a phone one card per category, on a desktop the columns that decide
  // first.
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.getByRole('heading', { name: 'Signals' }).evaluate((h) => h.scrollIntoView())
    await page.waitForTimeout(200)
    const table = await page.locator('.table-scroll').evaluate((box) => ({
      box: Math.round(box.getBoundingClientRect().width),
      table: box.scrollWidth,
    }))
    step(`signals ${size}: ${JSON.stringify(table)}`)
    if (table.table > table.box) failures.push(`signals ${size}: ${table.table} px in ${table.box}`)
    await page.screenshot({ path: join(SHOTS, `video-signals-${size}.png`) })
  }
  await page.setViewportSize(DESKTOP)
  await page.getByRole('tab', { name: 'Rejected' }).click()
  await page.getByText('Beach party', { exact: true }).first().waitFor()
  await shoot(page, 'video-queue-rejected')

  await page.goto(`${UI}/comments`)
  await page.getByRole('article', { name: 'Comment under review' }).waitFor()
  await shoot(page, 'comment-queue')

  await page.goto(`${UI}/thresholds`)
  await page.getByRole('button', { name: 'Preview changes' }).click()
  await page.getByLabel('Preview').waitFor()
  await shoot(page, 'thresholds', (p) => p.getByRole('heading', { name: 'Thresholds' }))
  await shoot(page, 'thresholds-preview', (p) => p.getByLabel('Preview'))

  for (const [name, path, heading] of [
    ['history', '/history', 'History'],
    ['reports', '/reports', 'Reports'],
    ['profile-queue', '/profiles', 'Profile queue'],
    ['users', '/users', 'Users'],
  ] as const) {
    await page.goto(`${UI}${path}`)
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor()
    await page.waitForTimeout(500)
    await shoot(page, name)
    if (name === 'history') {
      // Cards on a phone are still a table to a screen reader: a header row and one per event.
      await page.setViewportSize(PHONE)
      const table = page.getByRole('table', { name: 'Moderation events' })
      const rows = await table.getByRole('row').count()
      const cells = await table.getByRole('cell').count()
      step(`history phone: ${rows} rows, ${cells} cells by role`)
      if (rows !== 3 || cells !== 14) failures.push(`history phone: ${rows} rows, ${cells} cells`)
      await page.setViewportSize(DESKTOP)
    }
  }

  // The phone's menu: the links are one tap away and the page keeps the width.
  await page.setViewportSize(PHONE)
  const menu = page.getByRole('button', { name: 'Menu' })
  if (await menu.isVisible()) {
    await menu.click()
    await page.getByRole('link', { name: 'History' }).waitFor()
    await page.screenshot({ path: join(SHOTS, 'menu-open-phone.png') })
    await page.getByRole('link', { name: 'Overview' }).click()
    await page.getByRole('heading', { name: 'Overview' }).waitFor()
    if (await page.getByRole('link', { name: 'History' }).isVisible())
      failures.push('the phone menu stays open after a link is followed')
  } else failures.push('no Menu button on a phone')

  if (failures.length) throw new Error(failures.join('\n  '))
}

await runShots({ appDir: resolve(HERE, '..'), port: UI_PORT, env: { VITE_API_URL: API } }, main)
