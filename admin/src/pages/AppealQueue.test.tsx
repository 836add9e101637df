import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { creatorHistory, queueComment } from '../test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { CommentQueue } from './CommentQueue'

// The Appealed tab: the creator's message, and Overturn / Uphold with a reason answer it.
describe('Appealed comments', () => {
  it('shows the appeal and answers it with the reason', async () => {
    const appealed = {
      ...queueComment('c7', 'it was a joke'),
      appeal: {
        id: 'a7',
        message: 'We are friends, read the thread',
        messageCheck: null,
        status: 'pending' as const,
        response: null,
        createdAt: Date.now() - 60_000,
      },
    }
    let comments = [appealed]
    const { calls } = mockFetch({
      'GET /api/moderation/comments': ({ url }) => ({
        body: {
          comments: url.searchParams.get('status') === 'appealed' ? comments : [],
          nextCursor: null,
        },
      }),
      'POST /api/moderation/appeals/a7/decision': () => {
        comments = []
        return { body: { appeal: { ...appealed.appeal, status: 'overturned' } } }
      },
      'GET /api/admin/creators/u2/history': () => ({ body: creatorHistory('u2', 'sam') }),
    })
    render(
      <MemoryRouter>
        <CommentQueue />
      </MemoryRouter>,
    )
    const user = userEvent.setup()
    await user.click(await screen.findByRole('tab', { name: 'Appealed' }))
    const detail = await screen.findByRole('article', { name: 'Comment under review' })
    expect(within(detail).getByText('We are friends, read the thread')).toBeTruthy()
    await user.type(screen.getByLabelText('Reason'), 'Friendly banter in context')
    await user.click(screen.getByRole('button', { name: /Overturn/ }))
    await waitFor(() =>
      expect(calls.filter((c) => c.path === '/api/moderation/appeals/a7/decision')).toHaveLength(1),
    )
    expect(calls.find((c) => c.path === '/api/moderation/appeals/a7/decision')?.body).toEqual({
      outcome: 'overturn',
      reason: 'Friendly banter in context',
    })
    expect(await screen.findByText('Overturned the appeal on 1 comment')).toBeTruthy()
    expect(await screen.findByText('No comments with an open appeal.')).toBeTruthy()
  })

  it('says when the text check flagged the appeal’s message, in the list and the detail', async () => {
    const flagged = {
      ...queueComment('c8', 'whatever'),
      appeal: {
        id: 'a8',
        message: 'you are pathetic and stupid',
        messageCheck: { status: 'held' as const, categories: ['HR'] },
        status: 'pending' as const,
        response: null,
        createdAt: Date.now() - 60_000,
      },
    }
    mockFetch({
      'GET /api/moderation/comments': ({ url }) => ({
        body: {
          comments: url.searchParams.get('status') === 'appealed' ? [flagged] : [],
          nextCursor: null,
        },
      }),
      'GET /api/admin/creators/u2/history': () => ({ body: creatorHistory('u2', 'sam') }),
    })
    render(
      <MemoryRouter>
        <CommentQueue />
      </MemoryRouter>,
    )
    const user = userEvent.setup()
    await user.click(await screen.findByRole('tab', { name: 'Appealed' }))
    expect(await screen.findByText('Message flagged')).toBeTruthy()
    const detail = await screen.findByRole('article', { name: 'Comment under review' })
    expect(within(detail).getByRole('note').textContent).toBe(
      'Message flagged: likely harassment. It was filed anyway: judge the decision, not the tone.',
    )
  })
})
