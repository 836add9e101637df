import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import type { Comment } from '../../api/types'
import { videoCard } from '../../test/fixtures'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { SessionProvider } from '../auth/session'
import { CommentsPanel } from '../comments/CommentsPanel'
import { MyVideosPage } from '../profile/MyVideosPage'
import { ProfilePage } from '../profile/ProfilePage'
import { ClipAppeal } from './ClipAppeal'
import { EditClipForm } from './EditClipForm'

const creator = {
  id: 'u1',
  username: 'maker',
  email: 'm@example.com',
  role: 'user',
  displayName: 'Maker',
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

const visitorComment: Comment = {
  id: 'c1',
  videoId: 'v1',
  parentId: null,
  body: 'meh',
  createdAt: 1,
  author: { id: 'u2', username: 'visitor', displayName: 'Visitor', avatarUrl: null },
  status: undefined,
  reason: undefined,
  hidden: false,
  replies: [],
}

function renderPanel() {
  const { calls } = mockFetch({
    'GET /api/auth/session': () => ({ body: { user: creator } }),
    'GET /api/videos/v1/comments': () => ({
      body: { comments: [visitorComment], nextCursor: null },
    }),
    'POST /api/comments/c1/hide': () => ({ body: { hidden: true } }),
    'DELETE /api/comments/c1': () => ({ body: { ok: true } }),
  })
  render(
    <MemoryRouter>
      <SessionProvider>
        <CommentsPanel videoId="v1" creatorId="u1" />
      </SessionProvider>
    </MemoryRouter>,
  )
  return calls
}

describe('a creator’s comment section', () => {
  it('hides a comment under their clip and marks it hidden', async () => {
    const calls = renderPanel()
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'More options for this comment' }))
    await user.click(screen.getByRole('button', { name: 'Hide comment' }))
    expect(await screen.findByText(/only its author and you can see it/)).toBeTruthy()
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/comments/c1/hide')).toBe(true)
  })

  it('deletes a comment only after confirming', async () => {
    const calls = renderPanel()
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'More options for this comment' }))
    await user.click(screen.getByRole('button', { name: 'Delete comment' }))
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false)
    await user.click(screen.getByRole('button', { name: 'Delete comment' }))
    await user.click(screen.getByRole('button', { name: 'Delete' }))
    expect(await screen.findByText('No comments yet')).toBeTruthy()
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/api/comments/c1',
    ])
  })
})

describe('My videos', () => {
  it('deletes a failed upload after confirming and shows the outcome of an appeal', async () => {
    const failed = videoCard('v9', { title: 'Broken upload', status: 'failed', posterUrl: null })
    const rejected = videoCard('v8', { title: 'Knife skills', status: 'rejected' })
    const { calls } = mockFetch({
      'GET /api/auth/session': () => ({ body: { user: creator } }),
      'GET /api/me/videos': () => ({ body: { videos: [failed, rejected], nextCursor: null } }),
      'GET /api/appeals': () => ({
        body: {
          appeals: [
            {
              id: 'a1',
              subjectType: 'video',
              subjectId: 'v8',
              message: 'Cooking',
              status: 'upheld',
              response: 'Shows a fight',
              createdAt: 1,
              decidedAt: 2,
            },
          ],
        },
      }),
      'DELETE /api/videos/v9': () => ({ body: { ok: true } }),
    })
    render(
      <MemoryRouter initialEntries={['/me/videos']}>
        <SessionProvider>
          <Routes>
            <Route path="/me/videos" element={<MyVideosPage />} />
          </Routes>
        </SessionProvider>
      </MemoryRouter>,
    )
    const user = userEvent.setup()
    expect(await screen.findByText(/Appeal declined/)).toBeTruthy()
    expect(screen.getByText(/Shows a fight/)).toBeTruthy()
    await user.click(await screen.findByRole('button', { name: 'Delete Broken upload' }))
    const dialog = screen.getByRole('alertdialog')
    expect(dialog.textContent).toMatch(/Delete “Broken upload” for good/)
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))
    expect(await screen.findByText(/Deleted “Broken upload”/)).toBeTruthy()
    expect(screen.queryByText('Broken upload')).toBeNull()
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      '/api/videos/v9',
    ])
  })
})

const appealOn = (subjectId: string, status: 'pending' | 'upheld' | 'overturned') => ({
  id: `a-${subjectId}`,
  subjectType: 'video' as const,
  subjectId,
  message: 'Cooking, not a fight',
  status,
  response: status === 'pending' ? null : 'Looked again',
  createdAt: 1,
  decidedAt: status === 'pending' ? null : 2,
})

describe('Appeal is offered only where no appeal exists', () => {
  const appealed = videoCard('v8', { title: 'Knife skills', status: 'rejected' })
  const fresh = videoCard('v7', { title: 'Axe throwing', status: 'rejected' })
  const held = videoCard('v6', { title: 'Fire breathing', status: 'in_review' })

  it('on My videos: the outcome instead of the link, and no link before appeals are known', async () => {
    let answerAppeals: (() => void) | null = null
    const { fetchMock } = mockFetch({
      'GET /api/auth/session': () => ({ body: { user: creator } }),
      'GET /api/me/videos': () => ({
        body: { videos: [appealed, fresh, held], nextCursor: null },
      }),
      'GET /api/appeals': () => ({
        body: { appeals: [appealOn('v8', 'pending'), appealOn('v6', 'upheld')] },
      }),
    })
    // Appeals answer only when the test says so: until then no tile offers Appeal.
    const answer = fetchMock.getMockImplementation()
    fetchMock.mockImplementation(async (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      if (url.includes('/api/appeals') && answer) {
        await new Promise<void>((resolve) => (answerAppeals = resolve))
      }
      if (!answer) throw new Error('no fetch mock')
      return answer(input, init)
    })
    render(
      <MemoryRouter initialEntries={['/me/videos']}>
        <SessionProvider>
          <Routes>
            <Route path="/me/videos" element={<MyVideosPage />} />
          </Routes>
        </SessionProvider>
      </MemoryRouter>,
    )
    await screen.findByRole('link', { name: 'Edit Axe throwing' })
    expect(screen.queryAllByRole('link', { name: /^Appeal / })).toEqual([])
    const release = answerAppeals as (() => void) | null
    if (!release) throw new Error('appeals were not asked for')
    release()
    expect(await screen.findByRole('link', { name: 'Appeal Axe throwing' })).toBeTruthy()
    expect(screen.queryByRole('link', { name: 'Appeal Knife skills' })).toBeNull()
    expect(screen.queryByRole('link', { name: 'Appeal Fire breathing' })).toBeNull()
    expect(screen.getByText(/Appeal sent/)).toBeTruthy()
    expect(screen.getByText(/Appeal declined/)).toBeTruthy()
  })

  it('on one’s own profile, as on My videos', async () => {
    mockFetch({
      'GET /api/auth/session': () => ({ body: { user: creator } }),
      'GET /api/users/maker': () => ({
        body: {
          profile: {
            id: 'u1',
            username: 'maker',
            displayName: 'Maker',
            bio: '',
            avatarUrl: null,
            bannerUrl: null,
            website: null,
            location: null,
            verified: false,
            createdAt: 1,
            interests: [],
            counts: { followers: 0, following: 0, videos: 2, likes: 0 },
            isFollowing: false,
            isMe: true,
            blockedByMe: false,
          },
        },
      }),
      'GET /api/users/maker/videos': () => ({
        body: { videos: [appealed, fresh], nextCursor: null },
      }),
      'GET /api/appeals': () => ({ body: { appeals: [appealOn('v8', 'overturned')] } }),
    })
    render(
      <MemoryRouter initialEntries={['/u/maker']}>
        <SessionProvider>
          <Routes>
            <Route path="/u/:username" element={<ProfilePage />} />
          </Routes>
        </SessionProvider>
      </MemoryRouter>,
    )
    expect(await screen.findByText(/Appeal accepted/)).toBeTruthy()
    expect(screen.getByRole('link', { name: 'Appeal Axe throwing' })).toBeTruthy()
    expect(screen.queryByRole('link', { name: 'Appeal Knife skills' })).toBeNull()
  })

  it('a refused appeal message says why and keeps the text to rewrite', async () => {
    mockFetch({
      'GET /api/appeals': () => ({ body: { appeals: [] } }),
      'POST /api/appeals': () => ({
        status: 422,
        body: {
          error: {
            code: 'appeal_message_refused',
            message:
              'Your appeal was not sent: the message reads as harassment. Say why the decision ' +
              'is wrong without insults or threats; you can still appeal.',
            requestId: 't',
          },
        },
      }),
    })
    render(<ClipAppeal videoId="v8" status="rejected" />)
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Appeal this decision' }))
    const box = screen.getByLabelText('Why should a moderator look again?')
    await user.type(box, 'you are all useless idiots')
    await user.click(screen.getByRole('button', { name: 'Send appeal' }))
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /^Your appeal was not sent: the message reads as harassment/,
    )
    expect(box).toHaveProperty('value', 'you are all useless idiots')
    expect(screen.getByRole('button', { name: 'Send appeal' })).toHaveProperty('disabled', false)
  })
})

describe('a creator’s clip', () => {
  it('appeals a rejected clip once, with a message, and sees that it is pending', async () => {
    const { calls } = mockFetch({
      'GET /api/appeals': () => ({ body: { appeals: [] } }),
      'POST /api/appeals': ({ body }) => ({
        status: 201,
        body: {
          appeal: {
            id: 'a1',
            subjectType: 'video',
            subjectId: 'v8',
            message: (body as { message: string }).message,
            status: 'pending',
            response: null,
            createdAt: 1,
            decidedAt: null,
          },
        },
      }),
    })
    render(<ClipAppeal videoId="v8" status="rejected" />)
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Appeal this decision' }))
    const send = screen.getByRole('button', { name: 'Send appeal' })
    await user.type(screen.getByLabelText('Why should a moderator look again?'), 'too short')
    expect(send).toHaveProperty('disabled', true)
    await user.type(screen.getByLabelText('Why should a moderator look again?'), ' no more')
    await user.click(send)
    expect(await screen.findByText(/Appeal sent/)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Appeal this decision' })).toBeNull()
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      subjectType: 'video',
      subjectId: 'v8',
      message: 'too short no more',
    })
  })

  it('sends only what the edit changed, and shows the API’s field errors', async () => {
    let answer: { status: number; body: unknown } = {
      status: 400,
      body: {
        error: {
          code: 'invalid_input',
          message: 'title: Titles have at most 100 characters',
          requestId: 'r',
          details: [{ path: 'title', message: 'Titles have at most 100 characters' }],
        },
      },
    }
    const { calls } = mockFetch({
      'GET /api/categories': () => ({ body: { categories: [] } }),
      'PATCH /api/videos/v1': () => answer,
    })
    const video = videoCard('v1', { title: 'Old', tags: ['a'] })
    const saved: string[] = []
    render(<EditClipForm video={video} onSaved={(v) => saved.push(v.title)} onCancel={() => {}} />)
    const user = userEvent.setup()
    const title = screen.getByLabelText('Title')
    await user.clear(title)
    await user.type(title, 'New')
    await user.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('Titles have at most 100 characters')).toBeTruthy()
    answer = { status: 200, body: { video: { ...video, title: 'New', status: 'moderating' } } }
    await user.click(screen.getByRole('button', { name: 'Save' }))
    await screen.findByRole('button', { name: 'Save' })
    expect(saved).toEqual(['New'])
    expect(calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      { title: 'New' },
      { title: 'New' },
    ])
  })
})
