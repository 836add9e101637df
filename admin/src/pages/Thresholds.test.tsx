import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it, vi } from 'vitest'
import type { Me } from '../api/types'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { SessionContext } from '../session'
import { Thresholds } from './Thresholds'

const rb = (review: number | null, block: number | null) => ({ review, block })
const cats = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2']
const per = <T,>(v: T) => Object.fromEntries(cats.map((c) => [c, v]))
const policies = {
  video: {
    version: 4,
    createdAt: 1_700_000_000_000,
    thresholds: {
      gemini: per(rb(0.5, 0.85)),
      frames: { S: rb(0.6, 0.97), suggestive: rb(0.85, null) },
      text: per(rb(0.5, 0.95)),
    },
  },
  comment: {
    version: 5,
    createdAt: 1_700_000_000_000,
    thresholds: per({ hold: 0.5, reject: 0.9 }),
  },
}

function me(role: 'admin' | 'moderator'): Me {
  return {
    id: 'me',
    username: role,
    email: `${role}@x`,
    role,
    displayName: role,
    bio: '',
    avatarUrl: null,
    bannerUrl: null,
    website: null,
    location: null,
    verified: true,
    banned: false,
    createdAt: 0,
    interests: [],
    profileReview: [],
  }
}

const comments = {
  evaluated: 50,
  changed: 3,
  changes: [
    { subjectId: 'c1', label: 'ref is blind lol', from: 'published', to: 'held' },
    { subjectId: 'c2', label: 'nice kickflip', from: 'published', to: 'held' },
    { subjectId: 'c3', label: null, from: 'held', to: 'rejected' },
  ],
}

function setup(role: 'admin' | 'moderator', preview: unknown = comments) {
  const network = mockFetch({
    'GET /api/moderation/policies': () => ({ body: policies }),
    'POST /api/moderation/policies/comment/preview': () => ({ body: preview }),
    'POST /api/moderation/policies/video/preview': () => ({ body: preview }),
    'PUT /api/moderation/policies/comment': () => ({
      body: { policy: { kind: 'comment', version: 6, thresholds: {}, createdAt: 1 } },
    }),
  })
  render(
    <MemoryRouter>
      <SessionContext.Provider value={me(role)}>
        <Thresholds />
      </SessionContext.Provider>
    </MemoryRouter>,
  )
  return network
}

describe('Thresholds', () => {
  it('previews how many of the last N decisions change before saving a new version', async () => {
    const user = userEvent.setup()
    const { calls } = setup('admin')
    await user.click(await screen.findByRole('tab', { name: 'Comments' }))
    const hold = await screen.findByLabelText('Comment classifier HR hold')
    expect(hold).toHaveProperty('value', '0.5')
    await user.clear(hold)
    await user.type(hold, '0.3')
    await user.clear(screen.getByLabelText('Comment classifier V2 reject'))
    const save = screen.getByRole('button', { name: 'Save new version' })
    expect(save).toHaveProperty('disabled', true)

    await user.clear(screen.getByLabelText('Last N decisions'))
    await user.type(screen.getByLabelText('Last N decisions'), '50')
    await user.click(screen.getByRole('button', { name: 'Preview changes' }))
    expect((await screen.findByLabelText('Preview')).textContent).toContain(
      '3 of 50 recent decisions would change',
    )
    const preview = calls.find((c) => c.path === '/api/moderation/policies/comment/preview')
    const body = preview?.body as { thresholds: Record<string, unknown>; last: number }
    expect(body.last).toBe(50)
    expect(body.thresholds.HR).toEqual({ hold: 0.3, reject: 0.9 })
    expect(body.thresholds.V2).toEqual({ hold: 0.5, reject: null })

    expect(save).toHaveProperty('disabled', false)
    await user.type(screen.getByLabelText('Note'), 'catch more harassment')
    await user.click(save)
    await waitFor(() =>
      expect(
        calls.some((c) => c.method === 'PUT' && c.path === '/api/moderation/policies/comment'),
      ).toBe(true),
    )
    const put = calls.find((c) => c.method === 'PUT')
    expect(put?.body).toMatchObject({ note: 'catch more harassment', thresholds: body.thresholds })
    expect(await screen.findByText('Saved as version 6')).toBeTruthy()
  })

  it('asks for a new preview once values change again, and refuses values outside 0-1', async () => {
    const user = userEvent.setup()
    setup('admin')
    await user.click(await screen.findByRole('tab', { name: 'Comments' }))
    await user.click(screen.getByRole('button', { name: 'Preview changes' }))
    await screen.findByLabelText('Preview')
    const hold = screen.getByLabelText('Comment classifier S hold')
    await user.clear(hold)
    await user.type(hold, '1.5')
    expect(screen.getByRole('alert').textContent).toContain('S.hold')
    expect(screen.getByRole('button', { name: 'Preview changes' })).toHaveProperty('disabled', true)
    expect(screen.getByRole('button', { name: 'Save new version' })).toHaveProperty(
      'disabled',
      true,
    )
  })

  it('shows video signals, and moderators can preview but not save', async () => {
    setup('moderator')
    expect(await screen.findByLabelText('Gemini S3 review')).toHaveProperty('value', '0.5')
    expect(
      screen.getByLabelText('Frame classifier (max over frames) suggestive block'),
    ).toHaveProperty('value', '')
    expect(screen.queryByRole('button', { name: 'Save new version' })).toBeNull()
    expect(screen.getByText('Only admins can save thresholds.')).toBeTruthy()
  })

  it('lists each changed subject once by its title or text, not by its bare id', async () => {
    const user = userEvent.setup()
    const errors = vi.spyOn(console, 'error')
    // An API that still repeats a clip (its four machine decisions) must not give four rows.
    const twice = { subjectId: 'v7', label: 'Fractal zoom', from: 'in_review', to: 'published' }
    setup('moderator', {
      evaluated: 10,
      changed: 5,
      changes: [twice, twice, twice, twice, { ...twice, subjectId: 'v8', label: null }],
    })
    await user.click(await screen.findByRole('button', { name: 'Preview changes' }))
    const preview = await screen.findByLabelText('Preview')
    const rows = within(preview).getAllByRole('listitem')
    expect(rows.map((r) => r.textContent)).toEqual([
      'Fractal zoom in review → published timeline',
      'Video (deleted) in review → published timeline',
    ])
    expect(preview.textContent).not.toContain('v7')
    expect(
      within(rows[0] as HTMLElement)
        .getByRole('link')
        .getAttribute('href'),
    ).toBe('/history?subjectType=video&subjectId=v7')
    expect(errors.mock.calls.some((c) => String(c[0]).includes('same key'))).toBe(false)
  })
})
