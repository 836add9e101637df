import { fireEvent, render, screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import type { Me } from '../../api/types'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { SessionProvider, useSession } from '../auth/session'
import { EditProfile } from './EditProfile'

const me: Me = {
  id: 'me',
  username: 'baker',
  email: 'b@example.com',
  role: 'user',
  displayName: 'Baker',
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
const stored = '/media/profiles/me/avatar-0b7c6f7e-1111-4222-8333-944445555666.png'

function Harness() {
  const { user } = useSession()
  return user ? <EditProfile me={user} onSaved={() => undefined} /> : null
}

function renderEditor(answer: { status?: number; body: unknown }) {
  const network = mockFetch({
    'GET /api/auth/session': () => ({ body: { user: me } }),
    'GET /api/categories': () => ({ body: { categories: [] } }),
    'PUT /api/me/avatar': () => answer,
    'DELETE /api/me/avatar': () => ({ body: { user: me } }),
  })
  render(
    <MemoryRouter>
      <SessionProvider>
        <Harness />
      </SessionProvider>
    </MemoryRouter>,
  )
  return network
}

const pick = (file: File) => {
  const input = document.querySelector<HTMLInputElement>('.picture-avatar input[type="file"]')
  if (!input) throw new Error('no file input')
  fireEvent.change(input, { target: { files: [file] } })
}

describe('profile pictures', () => {
  it('uploads a picked image at once and shows the stored one, not a link field', async () => {
    const { calls } = renderEditor({ body: { user: { ...me, avatarUrl: stored } } })
    await screen.findByText('Profile picture')
    expect(screen.queryByLabelText(/image URL/i)).toBeNull()
    pick(new File([new Uint8Array([0x89, 0x50])], 'me.png', { type: 'image/png' }))
    const preview = await screen.findByAltText('Your profile picture')
    expect(preview.getAttribute('src')).toBe(stored)
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.path)).toEqual(['/api/me/avatar'])
    fireEvent.click(screen.getAllByRole('button', { name: 'Remove' })[0] as HTMLElement)
    await screen.findAllByText('None')
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/me/avatar')).toBe(true)
  })

  it('says why a picture was refused, and refuses a too-large one before uploading', async () => {
    const { calls } = renderEditor({
      status: 415,
      body: {
        error: {
          code: 'unsupported_image',
          message: 'Use a JPEG, PNG or WebP image',
          requestId: 't',
        },
      },
    })
    await screen.findByText('Profile picture')
    pick(new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' }))
    expect((await screen.findByRole('alert')).textContent).toBe('Use a JPEG, PNG or WebP image')
    pick(new File([new Uint8Array(5 * 1024 * 1024)], 'huge.png', { type: 'image/png' }))
    expect((await screen.findByRole('alert')).textContent).toContain('at most 4 MB')
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1)
  })
})
