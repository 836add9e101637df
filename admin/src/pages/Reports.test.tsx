import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import type { ReportGroup } from '../api/types'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { Reports } from './Reports'

const group: ReportGroup = {
  subjectType: 'video',
  subjectId: 'v1',
  count: 3,
  reasons: { spam: 3 },
  details: [],
  firstAt: Date.now() - 3_600_000,
  lastAt: Date.now() - 60_000,
  subject: {
    label: 'Free followers',
    status: 'published',
    owner: { id: 'u1', username: 'spammy' },
  },
}

// The review decision closes a subject's open reports itself (issue 14: the reporter is told
// the outcome however the moderator decided), so the resolve that follows finds none.
describe('Reports page', () => {
  it('rejects a reported video with the chosen category; a resolve that finds its reports already closed is not an error', async () => {
    let groups = [group]
    const { calls } = mockFetch({
      'GET /api/admin/reports': () => ({ body: { groups } }),
      'POST /api/moderation/videos/decisions': () => {
        groups = []
        return { body: { results: [{ id: 'v1', status: 'rejected' }] } }
      },
      'POST /api/admin/reports/resolve': () => ({
        status: 404,
        body: {
          error: {
            code: 'not_found',
            message: 'Open reports for this subject not found',
            requestId: 't',
          },
        },
      }),
    })
    const user = userEvent.setup()
    render(
      <MemoryRouter>
        <Reports />
      </MemoryRouter>,
    )
    await screen.findByText('Free followers')
    await user.type(screen.getByLabelText('Reason'), 'scam links')
    await user.selectOptions(screen.getByLabelText('Category'), 'HR')
    await user.click(screen.getByRole('button', { name: 'Reject video and resolve' }))
    await waitFor(() => expect(screen.queryByText('Free followers')).toBeNull())
    expect(screen.queryByText(/not found/)).toBeNull()
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/moderation/videos/decisions',
      '/api/admin/reports/resolve',
    ])
    // The category the moderator chose goes with the rejection.
    expect(calls.find((c) => c.path === '/api/moderation/videos/decisions')?.body).toEqual({
      videoIds: ['v1'],
      action: 'reject',
      reason: 'scam links',
      category: 'HR',
    })
  })

  it('still shows a dismissal that finds nothing to close', async () => {
    mockFetch({
      'GET /api/admin/reports': () => ({ body: { groups: [group] } }),
      'POST /api/admin/reports/resolve': () => ({
        status: 404,
        body: { error: { code: 'not_found', message: 'No open reports', requestId: 't' } },
      }),
    })
    const user = userEvent.setup()
    render(
      <MemoryRouter>
        <Reports />
      </MemoryRouter>,
    )
    await screen.findByText('Free followers')
    await user.type(screen.getByLabelText('Reason'), 'not spam')
    await user.click(screen.getByRole('button', { name: /Dismiss/ }))
    expect(await screen.findByText(/No open reports/)).toBeTruthy()
  })
})
