import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import type { Comment, Moderation } from '../../api/types'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { SessionProvider } from '../auth/session'
import { CommentsPanel } from './CommentsPanel'

const me = {
  id: 'me',
  username: 'viewer',
  email: 'v@example.com',
  role: 'user',
  displayName: 'Viewer',
  bio: '',
  avatarUrl: null,
  bannerUrl: null,
  website: null,
  location: null,
  verified: false,
  banned: false,
  createdAt: 1,
  interests: [],
  profileReview: [],
}

const someoneElse: Comment = {
  id: 'c0',
  videoId: 'v1',
  parentId: null,
  body: '<b>not bold</b> first!',
  createdAt: 1,
  author: { id: 'other', username: 'other', displayName: 'Other', avatarUrl: null },
  status: undefined,
  reason: undefined,
  replies: [],
}

function renderPanel(moderation: Moderation) {
  const { calls } = mockFetch({
    'GET /api/auth/session': () => ({ body: { user: me } }),
    'GET /api/videos/v1/comments': () => ({ body: { comments: [someoneElse], nextCursor: null } }),
    'POST /api/videos/v1/comments': ({ body }) => ({
      status: 201,
      body: {
        comment: {
          id: 'c1',
          videoId: 'v1',
          parentId: null,
          body: (body as { body: string }).body,
          createdAt: 2,
          author: { id: 'me', username: 'viewer', displayName: 'Viewer', avatarUrl: null },
          status: moderation.status,
          reason: moderation.reason,
        },
        moderation,
      },
    }),
    'DELETE /api/comments/c1': () => ({ body: { ok: true } }),
  })
  render(
    <MemoryRouter>
      <SessionProvider>
        <CommentsPanel videoId="v1" />
      </SessionProvider>
    </MemoryRouter>,
  )
  return calls
}

async function post(text: string) {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('Add a comment'), text)
  await user.click(screen.getByRole('button', { name: 'Post' }))
  return user
}

describe('comment feedback', () => {
  it('tells the author at once that the comment is live', async () => {
    renderPanel({ status: 'published', reason: 'Published' })
    await post('Lovely clip')
    const feedback = await screen.findByTestId('comment-feedback')
    expect(feedback.textContent).toBe('Your comment is live.')
    expect(screen.getAllByTestId('comment')[0]?.textContent).toContain('Lovely clip')
  })

  it('says a held comment waits for review, and why, once', async () => {
    renderPanel({ status: 'held', reason: 'Held for review: likely harassment' })
    await post('some insulting words')
    const feedback = await screen.findByTestId('comment-feedback')
    expect(feedback.getAttribute('role')).toBe('alert')
    expect(feedback.textContent).toBe(
      'Held for review: likely harassmentOnly you can see it until a moderator checks it.',
    )
    // The author still sees their comment, marked as held with its reason, said once.
    const mine = screen.getAllByTestId('comment')[0]
    expect(mine?.querySelector('.comment-status')?.textContent).toBe(
      'Held for review: likely harassment · only you can see it',
    )
    expect(mine?.textContent?.match(/held for review/gi)).toHaveLength(1)
  })

  it('says a rejected comment was not published, and why', async () => {
    renderPanel({ status: 'rejected', reason: 'Rejected: hate speech' })
    await post('a slur')
    const feedback = await screen.findByTestId('comment-feedback')
    expect(feedback.querySelector('strong')?.textContent).toBe('Rejected: hate speech')
    expect(feedback.textContent).toContain('Only you can see it.')
  })

  it('renders comment text as text and lets the author delete their own', async () => {
    const calls = renderPanel({ status: 'published', reason: 'Published' })
    const theirs = await screen.findByText('<b>not bold</b> first!')
    expect(theirs.querySelector('b')).toBeNull()
    expect(
      within(theirs.closest('[data-testid="comment"]') as HTMLElement).queryByText('Delete'),
    ).toBeNull()

    const user = await post('mine')
    const mine = (await screen.findByText('mine')).closest('[data-testid="comment"]') as HTMLElement
    await user.click(within(mine).getByRole('button', { name: 'Delete' }))
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/comments/c1' })
    expect(screen.queryByText('mine')).toBeNull()
  })
})
