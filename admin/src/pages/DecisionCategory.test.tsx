import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { creatorHistory, queueComment } from '../test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { CommentQueue } from './CommentQueue'
import { ProfileQueue } from './ProfileQueue'

// Issue 14: a rejection (a comment's, a profile change's, an upheld appeal's) carries the
// category the moderator chose; an approval or an overturn never does.
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

  it('goes with Uphold in the Appealed tab, never with Overturn', async () => {
    const appealOn = (id: string, body: string) => ({
      ...queueComment(id, body),
      status: 'rejected' as const,
      appeal: {
        id: `a-${id}`,
        message: 'We are friends, read the thread',
        messageCheck: null,
        status: 'pending' as const,
        response: null,
        createdAt: Date.now() - 60_000,
      },
    })
    let appealed = [appealOn('c7', 'it was a joke'), appealOn('c8', 'another joke')]
    const answer =
      (outcome: string) =>
      ({ url }: { url: URL }) => {
        const path = url.pathname
        appealed = appealed.filter((c) => path !== `/api/moderation/appeals/a-${c.id}/decision`)
        return { body: { appeal: { id: path, status: outcome } } }
      }
    const { calls } = mockFetch({
      'GET /api/moderation/comments': ({ url }) => ({
        body: {
          comments: url.searchParams.get('status') === 'appealed' ? appealed : [],
          nextCursor: null,
        },
      }),
      'POST /api/moderation/appeals/a-c7/decision': answer('upheld'),
      'POST /api/moderation/appeals/a-c8/decision': answer('overturned'),
      'GET /api/admin/creators/u2/history': () => ({ body: creatorHistory('u2', 'sam') }),
    })
    render(
      <MemoryRouter>
        <CommentQueue />
      </MemoryRouter>,
    )
    const user = userEvent.setup()
    await user.click(await screen.findByRole('tab', { name: 'Appealed' }))
    await screen.findByRole('article', { name: 'Comment under review' })
    await user.selectOptions(screen.getByLabelText('Category'), 'HR')
    await user.type(screen.getByLabelText('Reason'), 'Still aimed at the creator')
    await user.click(screen.getByRole('button', { name: /^Uphold/ }))
    await screen.findByText('Upheld the decision on 1 comment')
    expect(calls.find((c) => c.path === '/api/moderation/appeals/a-c7/decision')?.body).toEqual({
      outcome: 'uphold',
      reason: 'Still aimed at the creator',
      category: 'HR',
    })
    expect(screen.getByLabelText('Category')).toHaveProperty('value', '')

    // A category left chosen does not ride along with an overturn.
    await user.selectOptions(screen.getByLabelText('Category'), 'H')
    await user.type(screen.getByLabelText('Reason'), 'Banter in context')
    await user.click(screen.getByRole('button', { name: /^Overturn/ }))
    await screen.findByText('Overturned the appeal on 1 comment')
    expect(calls.find((c) => c.path === '/api/moderation/appeals/a-c8/decision')?.body).toEqual({
      outcome: 'overturn',
      reason: 'Banter in context',
    })
  })

  it("goes with a profile change's rejection, never with its approval", async () => {
    const change = (id: string, text: string) => ({
      id,
      field: 'bio' as const,
      text,
      current: 'I bake bread',
      status: 'held' as const,
      reason: 'Held for review: likely hate speech',
      scores: { H: 0.64, HR: 0.2 },
      modelVersion: 'm1',
      createdAt: 1_700_000_000_000,
      user: { id: 'u2', username: 'sam' },
    })
    let changes = [change('pc1', 'a held bio'), change('pc2', 'another held bio')]
    const { calls } = mockFetch({
      'GET /api/moderation/profiles': () => ({ body: { changes, nextCursor: null } }),
      'POST /api/moderation/profiles/decisions': ({ body }) => {
        const { changeIds, action } = body as { changeIds: string[]; action: string }
        changes = changes.filter((c) => !changeIds.includes(c.id))
        const status = action === 'reject' ? 'rejected' : 'approved'
        return { body: { results: changeIds.map((id) => ({ id, status })) } }
      },
    })
    render(
      <MemoryRouter>
        <ProfileQueue />
      </MemoryRouter>,
    )
    const user = userEvent.setup()
    await screen.findByRole('article', { name: 'Profile change under review' })
    await user.selectOptions(screen.getByLabelText('Category'), 'HR')
    await user.type(screen.getByLabelText('Reason'), 'Insults a named user')
    await user.click(screen.getByRole('button', { name: /^Reject/ }))
    await screen.findByText('Rejected 1 profile change')
    const profileDecisions = calls.filter((c) => c.path === '/api/moderation/profiles/decisions')
    expect(profileDecisions[0]?.body).toEqual({
      changeIds: ['pc1'],
      action: 'reject',
      reason: 'Insults a named user',
      category: 'HR',
    })
    expect(screen.getByLabelText('Category')).toHaveProperty('value', '')

    await user.selectOptions(screen.getByLabelText('Category'), 'H')
    await user.type(screen.getByLabelText('Reason'), 'Fine after all')
    await user.click(screen.getByRole('button', { name: /^Approve/ }))
    await waitFor(() =>
      expect(calls.filter((c) => c.path === '/api/moderation/profiles/decisions')).toHaveLength(2),
    )
    expect(calls.filter((c) => c.path === '/api/moderation/profiles/decisions')[1]?.body).toEqual({
      changeIds: ['pc2'],
      action: 'approve',
      reason: 'Fine after all',
    })
  })
})
