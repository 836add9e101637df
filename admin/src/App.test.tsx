import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { App } from './App'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { unauthorised } from './test/fixtures'

const user = (role: 'user' | 'moderator' | 'admin') => ({
  id: `id-${role}`,
  username: role === 'user' ? 'sam' : role,
  email: `${role}@x.test`,
  role,
  displayName: role,
  bio: '',
  avatarUrl: null,
  bannerUrl: null,
  website: null,
  location: null,
  verified: false,
  banned: false,
  createdAt: 0,
  interests: [],
  profileReview: [],
})

async function logInAs(role: 'user' | 'moderator' | 'admin') {
  const network = mockFetch({
    'GET /api/auth/me': unauthorised,
    'POST /api/auth/login': () => ({ body: { user: user(role) } }),
    'GET /api/admin/overview': () => ({
      body: {
        generatedAt: 0,
        windowDays: 14,
        waiting: {
          videos: { count: 2, oldestAt: 0 },
          comments: { count: 1, oldestAt: 0 },
          reports: { count: 0, oldestAt: null },
        },
        days: [],
        decisions: [],
        recommendations: null,
      },
    }),
  })
  const u = userEvent.setup()
  render(<App />)
  await u.type(await screen.findByLabelText('Email'), `${role}@x.test`)
  await u.type(screen.getByLabelText('Password'), 'secret-password')
  await u.click(screen.getByRole('button', { name: 'Log in' }))
  return network
}

describe('App', () => {
  it('logs in with credentials and shows a normal user a clear "no access" page', async () => {
    const { fetchMock, calls } = await logInAs('user')
    expect(await screen.findByRole('heading', { name: 'No access' })).toBeTruthy()
    expect(screen.getByText('sam')).toBeTruthy()
    expect(screen.queryByRole('navigation')).toBeNull()
    expect(calls.some((c) => c.path.startsWith('/api/admin'))).toBe(false)
    const login = fetchMock.mock.calls.find(([input]) => String(input).endsWith('/api/auth/login'))
    expect(login?.[1]?.credentials).toBe('include')
    expect(String(login?.[0])).toBe('http://127.0.0.1:8787/api/auth/login')
  })

  it('lets a moderator in, without the admin-only Users page', async () => {
    await logInAs('moderator')
    expect(await screen.findByRole('heading', { name: 'Overview' })).toBeTruthy()
    await waitFor(() =>
      expect(screen.getByLabelText('videos in review waiting').textContent).toContain('2'),
    )
    expect(screen.queryByRole('link', { name: 'Users' })).toBeNull()
  })

  it('shows admins the Users page link', async () => {
    await logInAs('admin')
    expect(await screen.findByRole('link', { name: 'Users' })).toBeTruthy()
  })
})
