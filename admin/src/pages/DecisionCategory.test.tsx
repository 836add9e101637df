import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { creatorHistory, queueComment } from '../test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { CommentQueue } from './CommentQueue'

// Issue 14: a rejection carries the category the moderator chose; an approval never does.
function setup() {
  let comments = [queueComment('c1', 'you are awful'), queueComment('c2', 'second comment')]
  const network = mockFetch({
    'GET /api/moderation/comments': () => ({ body: { comments, nextCursor: null } }),
    'POST /api/moderation/comments/decisions': ({ body }) => {
      const ids = (body as { commentIds: string[] }).commentIds
      comments = comments.filter((c) => !ids.includes(c.id))
      return { body: { results: ids.map((id) => ({ id, status: 'rejected' })) } }
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

describe('the category a moderator chooses', () => {
  it('goes with Reject, then the choice is cleared; Approve sends none', async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    await screen.findByRole('article', { name: 'Comment under review' })
    const category = screen.getByLabelText('Category')
    await user.selectOptions(category, 'HR')
    await user.type(screen.getByLabelText('Reason'), 'aimed at the creator')
    await user.click(screen.getByRole('button', { name: /^Reject/ }))
    await waitFor(() => expect(decisions(calls)).toHaveLength(1))
    expect(decisions(calls)[0]?.body).toEqual({
      commentIds: ['c1'],
      action: 'reject',
      reason: 'aimed at the creator',
      category: 'HR',
    })
    await screen.findByText('Rejected 1 comment')
    expect(screen.getByLabelText('Category')).toHaveProperty('value', '')

    // A category left chosen does not ride along with an approval.
    await user.selectOptions(screen.getByLabelText('Category'), 'H')
    await user.type(screen.getByLabelText('Reason'), 'fine after all')
    await user.click(screen.getByRole('button', { name: /^Approve/ }))
    await waitFor(() => expect(decisions(calls)).toHaveLength(2))
    expect(decisions(calls)[1]?.body).toEqual({
      commentIds: ['c2'],
      action: 'approve',
      reason: 'fine after all',
    })
  })

  it('is not offered in the Appealed tab (an answer to an appeal names none)', async () => {
    const user = userEvent.setup()
    setup()
    await screen.findByRole('article', { name: 'Comment under review' })
    expect(screen.getByLabelText('Category')).toBeTruthy()
    await user.click(screen.getByRole('tab', { name: 'Appealed' }))
    await waitFor(() => expect(screen.queryByLabelText('Category')).toBeNull())
  })
})
