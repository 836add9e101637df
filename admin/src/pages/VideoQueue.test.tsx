import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { creatorHistory, queueVideo } from '../test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { VideoQueue } from './VideoQueue'

function setup() {
  const videos = [
    queueVideo('v1', 'First clip'),
    queueVideo('v2', 'Second clip'),
    queueVideo('v3', 'Third clip'),
  ]
  const network = mockFetch({
    'GET /api/moderation/videos': () => ({ body: { videos, nextCursor: null } }),
    'POST /api/moderation/videos/decisions': ({ body }) => {
      const ids = (body as { videoIds: string[] }).videoIds
      return { body: { results: ids.map((id) => ({ id, status: 'published' })) } }
    },
    'GET /api/admin/creators/u1/history': () => ({ body: creatorHistory('u1', 'maya') }),
  })
  render(
    <MemoryRouter>
      <VideoQueue />
    </MemoryRouter>,
  )
  return network
}

const decisions = (calls: ReturnType<typeof mockFetch>['calls']) =>
  calls.filter((c) => c.method === 'POST' && c.path === '/api/moderation/videos/decisions')

describe('Video queue', () => {
  it('shows the current video with frames, per-category signals, explanation and creator history', async () => {
    setup()
    const detail = await screen.findByRole('article', { name: 'Video under review' })
    expect(within(detail).getByRole('heading', { name: 'First clip' })).toBeTruthy()
    const strip = within(detail).getByRole('list', { name: 'Frame strip' })
    expect(within(strip).getAllByRole('img')).toHaveLength(3)
    expect(within(strip).getByText('0:05 · 0.70')).toBeTruthy()
    expect(within(detail).getByText('Gemini: partial nudity around 0:05')).toBeTruthy()
    const signals = within(detail).getByRole('table')
    const sRow = within(signals).getByRole('rowheader', { name: 'S' }).closest('tr')
    expect(sRow?.textContent).toContain('0.62')
    expect(sRow?.textContent).toContain('0:05, 0:06')
    expect(sRow?.textContent).toContain('0.70')
    expect(within(detail).getByText('gemini S 0.62 ≥ 0.5 → review')).toBeTruthy()
    expect(await within(detail).findByText('Videos: 3 published, 1 rejected')).toBeTruthy()
    expect(within(detail).getByTestId('player').getAttribute('src')).toContain('master.m3u8')
  })

  it('acts on many selected videos at once with the required reason', async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    await user.click(await screen.findByRole('checkbox', { name: 'Select First clip' }))
    await user.click(screen.getByRole('checkbox', { name: 'Select Third clip' }))
    const reject = screen.getByRole('button', { name: /Reject 2 items/ })
    expect(reject).toHaveProperty('disabled', true)
    await user.type(screen.getByLabelText('Reason'), 'graphic violence')
    await user.click(reject)
    await waitFor(() => expect(decisions(calls)).toHaveLength(1))
    expect(decisions(calls)[0]?.body).toEqual({
      videoIds: ['v1', 'v3'],
      action: 'reject',
      reason: 'graphic violence',
    })
    expect(await screen.findByText('Rejected 2 videos')).toBeTruthy()
  })

  it('moves with j/k, selects with x and approves with a; asks for a reason first', async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    await screen.findByRole('heading', { name: 'First clip' })
    await user.keyboard('j')
    expect(screen.getByRole('heading', { level: 2, name: 'Second clip' })).toBeTruthy()
    await user.keyboard('xjx')
    expect(screen.getByRole('checkbox', { name: 'Select Second clip' })).toHaveProperty(
      'checked',
      true,
    )
    expect(screen.getByRole('checkbox', { name: 'Select Third clip' })).toHaveProperty(
      'checked',
      true,
    )
    await user.keyboard('k')
    expect(screen.getByRole('heading', { level: 2, name: 'Second clip' })).toBeTruthy()

    await user.keyboard('a')
    expect(screen.getByRole('alert').textContent).toContain('Write a reason')
    const reason = screen.getByLabelText('Reason')
    expect(document.activeElement).toBe(reason)
    // Typing in the reason field never triggers shortcuts.
    await user.type(reason, 'looks fine, art')
    expect(decisions(calls)).toHaveLength(0)
    reason.blur()
    await user.keyboard('a')
    await waitFor(() => expect(decisions(calls)).toHaveLength(1))
    expect(decisions(calls)[0]?.body).toEqual({
      videoIds: ['v2', 'v3'],
      action: 'approve',
      reason: 'looks fine, art',
    })
  })

  it('rejects the current video with r when nothing is selected', async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    await screen.findByRole('heading', { name: 'First clip' })
    await user.type(screen.getByLabelText('Reason'), 'nudity at 0:05')
    screen.getByLabelText('Reason').blur()
    await user.keyboard('r')
    await waitFor(() => expect(decisions(calls)).toHaveLength(1))
    expect(decisions(calls)[0]?.body).toMatchObject({ videoIds: ['v1'], action: 'reject' })
  })
})
