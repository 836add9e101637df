import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { signedOut, videoCard } from '../../test/fixtures'
import { SessionProvider } from '../auth/session'
import { ForYouPage } from './ForYouPage'

const ids = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `v${from + i}`)

function renderForYou() {
  return render(
    <MemoryRouter>
      <SessionProvider>
        <ForYouPage />
      </SessionProvider>
    </MemoryRouter>,
  )
}

const activeTitle = () => screen.getByTestId('active-clip').getAttribute('aria-label')

// Two pages of the For You feed; the second repeats v4 and v5.
function latestFeed() {
  return mockFetch({
    'GET /api/auth/session': signedOut,
    'GET /api/feed': ({ url }) =>
      url.searchParams.get('cursor') === 'page-2'
        ? { body: { videos: ids(4, 9).map((id) => videoCard(id)), nextCursor: null } }
        : { body: { videos: ids(1, 5).map((id) => videoCard(id)), nextCursor: 'page-2' } },
  })
}

describe('For You pager', () => {
  it('moves with arrow keys and j/k, and stays within the clips', async () => {
    latestFeed()
    const user = userEvent.setup()
    renderForYou()
    await screen.findByTestId('active-clip')
    expect(activeTitle()).toBe('Clip v1 by @maker')

    await user.keyboard('{ArrowUp}')
    expect(activeTitle()).toBe('Clip v1 by @maker')
    await user.keyboard('{ArrowDown}')
    expect(activeTitle()).toBe('Clip v2 by @maker')
    await user.keyboard('j')
    expect(activeTitle()).toBe('Clip v3 by @maker')
    await user.keyboard('k')
    expect(activeTitle()).toBe('Clip v2 by @maker')
  })

  it('ends with a caught-up slide once no more clips will come', async () => {
    mockFetch({
      'GET /api/auth/session': signedOut,
      'GET /api/feed': () => ({
        body: { videos: ids(1, 2).map((id) => videoCard(id)), nextCursor: null },
      }),
    })
    const user = userEvent.setup()
    renderForYou()
    await screen.findByTestId('active-clip')
    await user.keyboard('{ArrowDown}')
    expect(activeTitle()).toBe('Clip v2 by @maker')
    await user.keyboard('{ArrowDown}')
    expect(screen.getByTestId('feed-end').textContent).toContain('You are all caught up')
    expect(screen.queryByTestId('active-clip')).toBeNull()
    await user.keyboard('{ArrowDown}')
    expect(screen.getByTestId('feed-end')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Back to the first clip' }))
    expect(activeTitle()).toBe('Clip v1 by @maker')
  })

  it('moves one clip per wheel gesture', async () => {
    latestFeed()
    renderForYou()
    const pager = await screen.findByRole('region', { name: 'Clips' })
    // A burst of small wheel events is one gesture.
    for (let i = 0; i < 10; i++) fireEvent.wheel(pager, { deltaY: 30 })
    expect(activeTitle()).toBe('Clip v2 by @maker')
  })

  it('mounts the next clip to preload it, and nothing further', async () => {
    latestFeed()
    renderForYou()
    await screen.findByTestId('active-clip')
    const videos = document.querySelectorAll('video')
    expect(videos).toHaveLength(2)
    expect(videos[0]?.getAttribute('preload')).toBe('auto')
    expect(videos[1]?.getAttribute('preload')).toBe('auto')
    expect(videos[0]?.getAttribute('poster')).toBe('/media/videos/v1/poster.jpg')
  })

  it('pages near the end and never repeats a clip', async () => {
    const { calls } = latestFeed()
    const user = userEvent.setup()
    renderForYou()
    await screen.findByTestId('active-clip')
    expect(calls.filter((c) => c.path === '/api/feed')).toHaveLength(1)

    // Five clips loaded; two steps in, three are left: time for the next page.
    await user.keyboard('{ArrowDown}{ArrowDown}')
    await waitFor(() => expect(calls.filter((c) => c.path === '/api/feed')).toHaveLength(2))
    expect(calls.at(-1)?.search).toContain('cursor=page-2')

    const seen: string[] = []
    for (let i = 0; i < 12; i++) {
      const title = screen.queryByTestId('active-clip')?.getAttribute('aria-label')
      if (title && !seen.includes(title)) seen.push(title)
      await user.keyboard('{ArrowDown}')
    }
    expect(seen).toEqual(ids(3, 9).map((id) => `Clip ${id} by @maker`))
    expect(screen.getByTestId('feed-end')).toBeTruthy()
    // The last page said there is no more: no further requests.
    await act(async () => undefined)
    expect(calls.filter((c) => c.path === '/api/feed')).toHaveLength(2)
  })

  it('says so when there are no clips, and offers a retry on errors', async () => {
    mockFetch({
      'GET /api/auth/session': signedOut,
      'GET /api/feed': () => ({
        status: 500,
        body: {
          error: { code: 'internal', message: 'Something went wrong on our side', requestId: 'r' },
        },
      }),
    })
    renderForYou()
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Something went wrong on our side',
    )
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy()
  })
})

describe('Why am I seeing this, and Not interested', () => {
  const viewer = { id: 'me', username: 'viewer', email: 'v@example.com', role: 'user' }

  it('shows the card\'s reason in words, and "Not interested" posts it and moves on', async () => {
    const { calls } = mockFetch({
      'GET /api/auth/session': () => ({ body: { user: viewer } }),
      'GET /api/feed': () => ({
        body: {
          videos: ids(1, 3).map((id) => ({
            ...videoCard(id),
            reason: { kind: 'category', text: `Popular in Recipes, which you picked (${id})` },
          })),
          nextCursor: null,
        },
      }),
      'GET /api/users/maker': () => ({ body: { profile: { following: false } } }),
      'POST /api/videos/v1/not-interested': () => ({ body: { notInterested: true } }),
    })
    const user = userEvent.setup()
    renderForYou()
    await screen.findByTestId('active-clip')
    expect(activeTitle()).toBe('Clip v1 by @maker')
    const more = screen.getByRole('button', { name: 'More options' })
    expect(more.getAttribute('aria-expanded')).toBe('false')
    await user.click(more)
    expect(more.getAttribute('aria-expanded')).toBe('true')
    await user.click(screen.getByRole('button', { name: 'Why am I seeing this?' }))
    expect(screen.getByText('Popular in Recipes, which you picked (v1)')).toBeTruthy()

    await user.click(screen.getByRole('button', { name: 'Not interested' }))
    await waitFor(() => expect(activeTitle()).toBe('Clip v2 by @maker'))
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/videos/v1/not-interested',
    ])
    expect(screen.getByText('Got it. You will see fewer clips like that.')).toBeTruthy()
    // v1 is gone: stepping back does not bring it back.
    await user.keyboard('{ArrowUp}')
    expect(activeTitle()).toBe('Clip v2 by @maker')
  })

  it('Escape closes the options and gives focus back to the button', async () => {
    mockFetch({
      'GET /api/auth/session': signedOut,
      'GET /api/feed': () => ({
        body: {
          videos: [{ ...videoCard('v1'), reason: { kind: 'trending', text: 'Popular right now' } }],
          nextCursor: null,
        },
      }),
    })
    const user = userEvent.setup()
    renderForYou()
    const more = await screen.findByRole('button', { name: 'More options' })
    await user.click(more)
    expect(screen.getByRole('group', { name: 'Clip options' })).toBeTruthy()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('group', { name: 'Clip options' })).toBeNull()
    expect(document.activeElement).toBe(more)
  })
})
