// Rough edges a moderator hit (issue 15): the phone's menu, the overview before any
// recommendation rebuild, decided items that said "waiting", and the video detail's signal columns.
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { App } from './App'
import type { Me } from './api/types'
import { Overview } from './pages/Overview'
import { VideoQueue } from './pages/VideoQueue'
import { SessionContext } from './session'
import { creatorHistory, queueVideo } from './test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'

function me(role: 'moderator' | 'admin'): Me {
  return {
    id: `id-${role}`,
    username: role,
    email: `${role}@x.test`,
    role,
    displayName: role,
    bio: '',
    avatarUrl: null,
    bannerUrl: null,
    website: null,
    location: null,
    verified: false,
    banned: false,
    createdAt: 0,
    interests: [],
    profileReview: [],
  }
}

const overview = {
  generatedAt: 0,
  windowDays: 14,
  waiting: {
    videos: { count: 0, oldestAt: null },
    comments: { count: 0, oldestAt: null },
    reports: { count: 0, oldestAt: null },
  },
  days: [],
  decisions: [],
  recommendations: null,
}

function renderOverview(role: 'moderator' | 'admin') {
  const network = mockFetch({
    'GET /api/admin/overview': () => ({ body: overview }),
    'POST /api/admin/recs/rebuild': () => ({ status: 202, body: { queued: true } }),
  })
  render(
    <MemoryRouter>
      <SessionContext.Provider value={me(role)}>
        <Overview />
      </SessionContext.Provider>
    </MemoryRouter>,
  )
  return network
}

describe('the phone menu', () => {
  it('opens from the Menu button and closes once a link is followed', async () => {
    mockFetch({
      'GET /api/auth/me': () => ({ body: { user: me('moderator') } }),
      'GET /api/admin/overview': () => ({ body: overview }),
      'GET /api/moderation/videos': () => ({ body: { videos: [], nextCursor: null } }),
    })
    const user = userEvent.setup()
    render(<App />)
    const menu = await screen.findByRole('button', { name: 'Menu' })
    const nav = screen.getByRole('navigation', { name: 'Dashboard' })
    expect(menu.getAttribute('aria-expanded')).toBe('false')
    expect(nav.classList.contains('open')).toBe(false)
    await user.click(menu)
    expect(menu.getAttribute('aria-expanded')).toBe('true')
    expect(nav.classList.contains('open')).toBe(true)
    await user.click(within(nav).getByRole('link', { name: 'Video queue' }))
    expect(await screen.findByRole('heading', { name: 'Video queue' })).toBeTruthy()
    expect(menu.getAttribute('aria-expanded')).toBe('false')
    expect(nav.classList.contains('open')).toBe(false)
  })
})

describe('Overview before the first recommendation rebuild', () => {
  it('tells a moderator when it runs, in words, without storage keys', async () => {
    renderOverview('moderator')
    const recs = (await screen.findByRole('heading', { name: 'Recommendations' })).closest(
      'section',
    )
    await waitFor(() => expect(recs?.textContent).toContain('No recommendation rebuild has run'))
    expect(recs?.textContent).toContain('nightly at 03:00 UTC')
    expect(recs?.textContent).not.toMatch(/KV|recs:last-rebuild/)
    expect(screen.queryByRole('button', { name: 'Rebuild now' })).toBeNull()
  })

  it('lets an admin queue a rebuild now', async () => {
    const user = userEvent.setup()
    const { calls } = renderOverview('admin')
    await user.click(await screen.findByRole('button', { name: 'Rebuild now' }))
    expect((await screen.findByRole('status')).textContent).toContain('Rebuild queued')
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/admin/recs/rebuild',
    ])
  })
})

describe('Video queue times and signals', () => {
  function setup(videos: ReturnType<typeof queueVideo>[]) {
    mockFetch({
      'GET /api/moderation/videos': () => ({ body: { videos, nextCursor: null } }),
      'GET /api/admin/creators/u1/history': () => ({ body: creatorHistory('u1', 'maya') }),
    })
    render(
      <MemoryRouter>
        <VideoQueue />
      </MemoryRouter>,
    )
  }

  it('says when a rejected clip was decided, never that it is waiting', async () => {
    const decidedAt = Date.now() - 8_000
    setup([queueVideo('v1', 'Beach party', { status: 'rejected', statusChangedAt: decidedAt })])
    const list = await screen.findByRole('list', { name: 'Videos' })
    const item = within(list).getByText('Beach party').closest('li')
    expect(item?.textContent).not.toContain('waiting')
    expect(item?.textContent).toMatch(/rejected \d+s ago/)
    expect(item?.querySelector('time')?.getAttribute('dateTime')).toBe(
      new Date(decidedAt).toISOString(),
    )
  })

  it('says how long a clip in review has waited', async () => {
    setup([queueVideo('v1', 'Skate park', { statusChangedAt: Date.now() - 120_000 })])
    const list = await screen.findByRole('list', { name: 'Videos' })
    expect(within(list).getByText('Skate park').closest('li')?.textContent).toContain(
      'waiting 2 min',
    )
  })

  it('puts the columns the policy decides on first, and scrolls the table inside its box', async () => {
    setup([queueVideo('v1', 'Skate park')])
    const detail = await screen.findByRole('article', { name: 'Video under review' })
    const table = within(detail).getByRole('table')
    const heads = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent)
    expect(heads.slice(0, 4)).toEqual(['Category', 'Gemini', 'Frames max', 'Text'])
    expect(table.parentElement?.className).toBe('table-scroll')
    const sRow = within(table).getByRole('rowheader', { name: 'S' }).closest('tr')
    const cells = [...(sRow?.querySelectorAll('td') ?? [])].map((td) => td.textContent)
    expect(cells.slice(0, 3)).toEqual(['0.62', '0.70', '0.04'])
  })
})
