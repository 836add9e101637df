import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import type { Comment } from '../../api/types'
import { videoCard } from '../../test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { SessionProvider } from '../auth/session'
import { CommentsPanel } from '../comments/CommentsPanel'
import { ForYouPage } from '../feed/ForYouPage'
import { ProfilePage } from '../profile/ProfilePage'
import { VideoPage } from '../video/VideoPage'
import { SafetyProvider } from './safety'

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

function comment(id: string, username: string, body: string): Comment {
  return {
    id,
    videoId: 'v1',
    parentId: null,
    body,
    createdAt: 1,
    author: { id: `u-${username}`, username, displayName: username, avatarUrl: null },
    status: undefined,
    reason: undefined,
    replies: [],
  }
}

function renderComments() {
  const network = mockFetch({
    'GET /api/auth/session': () => ({ body: { user: me } }),
    'GET /api/videos/v1/comments': () => ({
      body: {
        comments: [
          comment('c1', 'troll', 'you are awful'),
          comment('c2', 'troll', 'and again'),
          comment('c3', 'friend', 'lovely'),
        ],
        nextCursor: null,
      },
    }),
    'POST /api/reports': () => ({ status: 201, body: { report: { id: 'r1', received: true } } }),
    'POST /api/users/troll/block': () => ({ body: { blocked: true } }),
    'DELETE /api/users/troll/block': () => ({ body: { blocked: false } }),
  })
  render(
    <MemoryRouter>
      <SessionProvider>
        <SafetyProvider>
          <CommentsPanel videoId="v1" />
        </SafetyProvider>
      </SessionProvider>
    </MemoryRouter>,
  )
  return network
}

const bodies = () =>
  screen.queryAllByTestId('comment').map((c) => c.querySelector('.comment-text')?.textContent)

describe('report and block on comments', () => {
  it('reports a comment with a reason from the API list, then hides it for the reporter', async () => {
    const user = userEvent.setup()
    const { calls } = renderComments()
    const first = (await screen.findAllByTestId('comment'))[0]
    if (!first) throw new Error('no comment')
    await user.click(within(first).getByRole('button', { name: 'More options for this comment' }))
    await user.click(within(first).getByRole('button', { name: 'Report comment' }))
    const send = within(first).getByRole('button', { name: 'Send report' })
    expect(send).toHaveProperty('disabled', true)
    await user.click(within(first).getByRole('radio', { name: 'Harassment or bullying' }))
    await user.click(send)
    expect(await screen.findByText(/we received your report/)).toBeTruthy()
    expect(calls.find((c) => c.path === '/api/reports')?.body).toEqual({
      subjectType: 'comment',
      subjectId: 'c1',
      reason: 'harassment',
      details: '',
    })
    expect(bodies()).toEqual(['and again', 'lovely'])
  })

  it('blocking an author hides all their comments and offers Unblock, which brings them back', async () => {
    const user = userEvent.setup()
    const { calls } = renderComments()
    const first = (await screen.findAllByTestId('comment'))[0]
    if (!first) throw new Error('no comment')
    await user.click(within(first).getByRole('button', { name: 'More options for this comment' }))
    await user.click(within(first).getByRole('button', { name: 'Block @troll' }))
    expect(await screen.findByText(/You blocked @troll/)).toBeTruthy()
    expect(bodies()).toEqual(['lovely'])
    await user.click(screen.getByRole('button', { name: 'Unblock @troll' }))
    expect(await screen.findByText(/You unblocked @troll/)).toBeTruthy()
    expect(bodies()).toEqual(['you are awful', 'and again', 'lovely'])
    expect(calls.filter((c) => c.path === '/api/users/troll/block').map((c) => c.method)).toEqual([
      'POST',
      'DELETE',
    ])
  })
})

describe('block on profiles', () => {
  it('a profile blocked earlier offers Unblock; unblocking says so and shows the clips', async () => {
    const user = userEvent.setup()
    const { calls } = mockFetch({
      'GET /api/auth/session': () => ({ body: { user: me } }),
      'GET /api/users/troll': () => ({
        body: {
          profile: {
            id: 'u-troll',
            username: 'troll',
            displayName: 'Troll',
            bio: '',
            avatarUrl: null,
            bannerUrl: null,
            website: null,
            location: null,
            verified: false,
            createdAt: 1,
            interests: [],
            counts: { followers: 1, following: 0, videos: 1, likes: 1 },
            isFollowing: false,
            isMe: false,
            blockedByMe: true,
          },
        },
      }),
      'GET /api/users/troll/videos': () => ({ body: { videos: [], nextCursor: null } }),
      'DELETE /api/users/troll/block': () => ({ body: { blocked: false } }),
    })
    render(
      <MemoryRouter initialEntries={['/u/troll']}>
        <SessionProvider>
          <SafetyProvider>
            <Routes>
              <Route path="/u/:username" element={<ProfilePage />} />
            </Routes>
          </SafetyProvider>
        </SessionProvider>
      </MemoryRouter>,
    )
    expect(await screen.findByText('Clips hidden')).toBeTruthy()
    // Counts read in the right number.
    expect(screen.getByText('follower')).toBeTruthy()
    expect(screen.getByText('clip')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Unblock @troll' }))
    expect(await screen.findByText(/You unblocked @troll/)).toBeTruthy()
    expect(screen.queryByText('Clips hidden')).toBeNull()
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true)
  })
})

describe('counts after a block', () => {
  it('the clip’s comment count drops by the blocked author’s comments, and comes back on unblock', async () => {
    const user = userEvent.setup()
    mockFetch({
      'GET /api/auth/session': () => ({ body: { user: me } }),
      'GET /api/feed': () => ({
        body: {
          videos: [videoCard('v1', { counts: { views: 9, likes: 0, comments: 3 } })],
          nextCursor: null,
        },
      }),
      'GET /api/users/maker': () => ({ body: { profile: { isFollowing: false } } }),
      'GET /api/videos/v1/comments': () => ({
        body: {
          comments: [
            { ...comment('c1', 'troll', 'you are awful'), replies: [] },
            {
              ...comment('c3', 'friend', 'lovely'),
              // A reply by the blocked author counts too.
              replies: [{ ...comment('c2', 'troll', 'and again'), parentId: 'c3' }],
            },
          ],
          nextCursor: null,
        },
      }),
      'POST /api/users/troll/block': () => ({ body: { blocked: true } }),
      'DELETE /api/users/troll/block': () => ({ body: { blocked: false } }),
    })
    render(
      <MemoryRouter>
        <SessionProvider>
          <SafetyProvider>
            <ForYouPage />
          </SafetyProvider>
        </SessionProvider>
      </MemoryRouter>,
    )
    const count = async () => (await screen.findByTestId('comment-count')).textContent
    expect(await count()).toBe('3')
    await user.click(screen.getByRole('button', { name: 'Comments' }))
    const first = (await screen.findAllByTestId('comment'))[0]
    if (!first) throw new Error('no comment')
    await user.click(within(first).getByRole('button', { name: 'More options for this comment' }))
    await user.click(within(first).getByRole('button', { name: 'Block @troll' }))
    expect(await screen.findByText(/You blocked @troll/)).toBeTruthy()
    expect(bodies()).toEqual(['lovely'])
    expect(await count()).toBe('1')
    await user.click(screen.getByRole('button', { name: 'Unblock @troll' }))
    expect(await screen.findByText(/You unblocked @troll/)).toBeTruthy()
    expect(await count()).toBe('3')
  })

  it('after a reload, the count drops by the comments the server left out of the list', async () => {
    const user = userEvent.setup()
    mockFetch({
      'GET /api/auth/session': () => ({ body: { user: me } }),
      'GET /api/feed': () => ({
        body: {
          videos: [videoCard('v1', { counts: { views: 9, likes: 0, comments: 3 } })],
          nextCursor: null,
        },
      }),
      'GET /api/users/maker': () => ({ body: { profile: { isFollowing: false } } }),
      // Blocked in an earlier visit: the server leaves troll's two comments out.
      'GET /api/videos/v1/comments': () => ({
        body: { comments: [comment('c3', 'friend', 'lovely')], nextCursor: null, withheld: 2 },
      }),
    })
    render(
      <MemoryRouter>
        <SessionProvider>
          <SafetyProvider>
            <ForYouPage />
          </SafetyProvider>
        </SessionProvider>
      </MemoryRouter>,
    )
    expect((await screen.findByTestId('comment-count')).textContent).toBe('3')
    await user.click(screen.getByRole('button', { name: 'Comments' }))
    await screen.findAllByTestId('comment')
    expect(bodies()).toEqual(['lovely'])
    expect(screen.getByTestId('comment-count').textContent).toBe('1')
  })

  it('blocking a followed creator ends the follow and reads the profile’s counts again', async () => {
    const user = userEvent.setup()
    let blocked = false
    const profile = () => ({
      id: 'u-troll',
      username: 'troll',
      displayName: 'Troll',
      bio: '',
      avatarUrl: null,
      bannerUrl: null,
      website: null,
      location: null,
      verified: false,
      createdAt: 1,
      interests: [],
      // The block ended both follows on the server: the viewer's and troll's of the viewer.
      counts: blocked
        ? { followers: 4, following: 1, videos: 1, likes: 1 }
        : { followers: 5, following: 2, videos: 1, likes: 1 },
      isFollowing: !blocked,
      isMe: false,
      blockedByMe: blocked,
    })
    const { calls } = mockFetch({
      'GET /api/auth/session': () => ({ body: { user: me } }),
      'GET /api/users/troll': () => ({ body: { profile: profile() } }),
      'GET /api/users/troll/videos': () => ({ body: { videos: [], nextCursor: null } }),
      'POST /api/users/troll/block': () => {
        blocked = true
        return { body: { blocked: true } }
      },
    })
    render(
      <MemoryRouter initialEntries={['/u/troll']}>
        <SessionProvider>
          <SafetyProvider>
            <Routes>
              <Route path="/u/:username" element={<ProfilePage />} />
            </Routes>
          </SafetyProvider>
        </SessionProvider>
      </MemoryRouter>,
    )
    const counts = () =>
      screen
        .getAllByRole('listitem')
        .map((li) => li.textContent)
        .slice(0, 2)
    expect(await screen.findByRole('button', { name: 'Following' })).toBeTruthy()
    expect(counts()).toEqual(['5 followers', '2 following'])
    await user.click(screen.getByRole('button', { name: 'More options for this profile' }))
    await user.click(screen.getByRole('button', { name: 'Block @troll' }))
    expect(await screen.findByText(/You blocked @troll/)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Following' })).toBeNull()
    await waitFor(() => expect(counts()).toEqual(['4 followers', '1 following']))
    // Read again after the block, from the server, not worked out here.
    const blockedAt = calls.findIndex((c) => c.method === 'POST')
    expect(calls.slice(blockedAt).some((c) => c.path === '/api/users/troll')).toBe(true)
  })
})

describe('a clip whose creator the viewer blocked', () => {
  it('opened by its link after a reload, says so and offers Unblock, which shows the clip', async () => {
    const user = userEvent.setup()
    const { calls } = mockFetch({
      'GET /api/auth/session': () => ({ body: { user: me } }),
      'GET /api/videos/v1': () => ({
        body: {
          video: videoCard('v1', {
            title: 'Troll dance',
            creator: { ...videoCard('v1').creator, username: 'troll' },
          }),
          blockedCreator: true,
        },
      }),
      'GET /api/videos/v1/comments': () => ({ body: { comments: [], nextCursor: null } }),
      'GET /api/videos/v1/similar': () => ({ body: { videos: [] } }),
      'GET /api/users/troll': () => ({ body: { profile: { isFollowing: false } } }),
      'DELETE /api/users/troll/block': () => ({ body: { blocked: false } }),
    })
    render(
      <MemoryRouter initialEntries={['/v/v1']}>
        <SessionProvider>
          <SafetyProvider>
            <Routes>
              <Route path="/v/:id" element={<VideoPage />} />
            </Routes>
          </SafetyProvider>
        </SessionProvider>
      </MemoryRouter>,
    )
    expect(await screen.findByText(/You blocked @troll/)).toBeTruthy()
    expect(screen.queryByRole('heading', { name: 'Troll dance' })).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Unblock @troll' }))
    expect(await screen.findByRole('heading', { name: 'Troll dance' })).toBeTruthy()
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/users/troll/block')).toBe(
      true,
    )
  })
})
