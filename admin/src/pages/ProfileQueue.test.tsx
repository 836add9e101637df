import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { ProfileQueue } from './ProfileQueue'

const held = {
  id: 'pc1',
  field: 'bio' as const,
  text: '<i>a bio the classifier held</i>',
  current: 'I bake bread',
  status: 'held' as const,
  reason: 'Held for review: likely hate speech',
  scores: { H: 0.64, HR: 0.2 },
  modelVersion: 'm1',
  createdAt: 1_700_000_000_000,
  user: { id: 'u2', username: 'sam' },
}

describe('Profile queue', () => {
  it('shows the new text beside what others see, with scores, and approves it with a reason', async () => {
    let changes = [held]
    const { calls } = mockFetch({
      'GET /api/moderation/profiles': () => ({ body: { changes, nextCursor: null } }),
      'POST /api/moderation/profiles/decisions': ({ body }) => {
        const ids = (body as { changeIds: string[] }).changeIds
        changes = changes.filter((c) => !ids.includes(c.id))
        return { body: { results: ids.map((id) => ({ id, status: 'approved' })) } }
      },
    })
    render(
      <MemoryRouter>
        <ProfileQueue />
      </MemoryRouter>,
    )
    const detail = await screen.findByRole('article', { name: 'Profile change under review' })
    expect(within(detail).getByText('<i>a bio the classifier held</i>')).toBeTruthy()
    expect(detail.querySelector('i')).toBeNull()
    expect(within(detail).getByText('Others see meanwhile: I bake bread')).toBeTruthy()
    expect(within(detail).getByText('H 0.64')).toBeTruthy()
    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Reason'), 'quoting a film')
    await user.click(screen.getByRole('button', { name: /Approve/ }))
    expect(calls.filter((c) => c.method === 'POST')[0]?.body).toEqual({
      changeIds: ['pc1'],
      action: 'approve',
      reason: 'quoting a film',
    })
    expect(await screen.findByText('No held profile changes.')).toBeTruthy()
  })
})
