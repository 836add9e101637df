import { render, screen } from '@testing-library/react'
import { MemoryRouter, Route, Routes } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import type { Me, Profile } from '../../api/types'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { SessionProvider } from '../auth/session'
import { ProfilePage } from './ProfilePage'

const me: Me = {
  id: 'me',
  username: 'baker',
  email: 'b@example.com',
  role: 'user',
  displayName: 'Baker',
  bio: 'I bake bread',
  avatarUrl: null,
  bannerUrl: null,
  website: null,
  location: null,
  verified: false,
  banned: false,
  createdAt: 1,
  interests: [],
  profileReview: [
    {
      id: 'pc1',
      field: 'bio',
      text: 'a bio the classifier held',
      status: 'held',
      reason: 'Held for review: likely hate speech',
      createdAt: 2,
    },
  ],
}

const profile: Profile = {
  id: 'me',
  username: 'baker',
  displayName: 'Baker',
  bio: 'I bake bread',
  avatarUrl: null,
  bannerUrl: null,
  website: null,
  location: null,
  verified: false,
  createdAt: 1,
  interests: [],
  counts: { followers: 0, following: 0, videos: 0, likes: 0 },
  isFollowing: false,
  isMe: true,
  blockedByMe: false,
}

function renderProfile(user: Me, shown: Profile) {
  mockFetch({
    'GET /api/auth/session': () => ({ body: { user } }),
    'GET /api/users/baker': () => ({ body: { profile: shown } }),
    'GET /api/users/baker/videos': () => ({ body: { videos: [], nextCursor: null } }),
  })
  render(
    <MemoryRouter initialEntries={['/u/baker']}>
      <SessionProvider>
        <Routes>
          <Route path="/u/:username" element={<ProfilePage />} />
        </Routes>
      </SessionProvider>
    </MemoryRouter>,
  )
}

describe('profile text under review', () => {
  it('shows the author their held bio and the reason once, beside the bio others see', async () => {
    renderProfile(me, profile)
    const notice = await screen.findByTestId('profile-review')
    expect(notice.querySelector('strong')?.textContent).toBe('Held for review: likely hate speech')
    expect(notice.textContent).toContain('a bio the classifier held')
    expect(notice.textContent?.match(/held for review/gi)).toHaveLength(1)
    expect(notice.textContent).not.toMatch(/\d\.\d/)
    // The public bio is still the old one.
    expect(document.querySelector('.bio')?.textContent).toBe('I bake bread')
  })

  it('says nothing to others, or when nothing waits', async () => {
    renderProfile({ ...me, profileReview: [] }, profile)
    await screen.findByText('I bake bread')
    expect(screen.queryByTestId('profile-review')).toBeNull()
  })
})
