import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { creatorHistory, queueComment } from '../test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { CommentQueue } from './CommentQueue'

function setup() {
  let comments = [
    queueComment('c1', '<b>you are awful</b>'),
    queueComment('c2', 'second comment'),
    queueComment('c3', 'third comment'),
  ]
  const network = mockFetch({
    'GET /api/moderation/comments': () => ({ body: { comments, nextCursor: null } }),
    'POST /api/moderation/comments/decisions': ({ body }) => {
      const ids = (body as { commentIds: string[] }).commentIds
      comments = comments.filter((c) => !ids.includes(c.id))
      return { body: { results: ids.map((id) => ({ id, status: 'published' })) } }
    },
    'GET /api/admin/creators/u2/history': () => ({ body: creatorHistory('u2', 'sam') }),
  })
  render(
    <MemoryRouter>
      <CommentQueue />
    </MemoryRouter>,
  )
  return network
}

const decisions = (calls: ReturnType<typeof mockFetch>['calls']) =>
  calls.filter((c) => c.method === 'POST' && c.path === '/api/moderation/comments/decisions')

describe('Comment queue', () => {
  it('shows the text as text, its video, score chips and the author history', async () => {
    setup()
    const detail = await screen.findByRole('article', { name: 'Comment under review' })
    expect(within(detail).getByText('<b>you are awful</b>')).toBeTruthy()
    expect(detail.querySelector('b')).toBeNull()
    expect(within(detail).getByText('Skate clip')).toBeTruthy()
    expect(within(detail).getByText('HR 0.71')).toBeTruthy()
    expect(await within(detail).findByText('Comments: 10 published')).toBeTruthy()
  })

  it('approves every selected comment at once and drops them from the queue', async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    await user.click(await screen.findByRole('checkbox', { name: /Select all/ }))
    await user.type(screen.getByLabelText('Reason'), 'banter between friends')
    await user.click(screen.getByRole('button', { name: /Approve 3 items/ }))
    await waitFor(() => expect(decisions(calls)).toHaveLength(1))
    expect(decisions(calls)[0]?.body).toEqual({
      commentIds: ['c1', 'c2', 'c3'],
      action: 'approve',
      reason: 'banter between friends',
    })
    expect(await screen.findByText('Approved 3 comments')).toBeTruthy()
    expect(await screen.findByText('No held comments.')).toBeTruthy()
  })

  it('rejects with the keyboard: x selects, j moves, r rejects the selection', async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    await screen.findByRole('article', { name: 'Comment under review' })
    await user.type(screen.getByLabelText('Reason'), 'harassment')
    screen.getByLabelText('Reason').blur()
    await user.keyboard('xjjx')
    await user.keyboard('r')
    await waitFor(() => expect(decisions(calls)).toHaveLength(1))
    expect(decisions(calls)[0]?.body).toMatchObject({ commentIds: ['c1', 'c3'], action: 'reject' })
  })
})
