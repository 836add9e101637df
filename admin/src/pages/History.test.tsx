import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import type { HistoryEvent } from '../api/types'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { History } from './History'

function event(id: string, overrides: Partial<HistoryEvent>): HistoryEvent {
  return {
    id,
    subjectType: 'comment',
    subjectId: 'c1',
    source: 'machine',
    actor: null,
    decision: 'held',
    category: 'HR',
    categoryChosen: false,
    scores: null,
    categoryScores: {},
    explanation: null,
    model: 'comment-classifier',
    modelVersion: '1',
    policyVersion: 2,
    createdAt: 1_763_000_000_000,
    subject: { label: 'you are awful', status: 'held' },
    ...overrides,
  }
}

function setup(path = '/history') {
  const network = mockFetch({
    'GET /api/admin/history': ({ url }) => {
      const human = url.searchParams.get('source') === 'human'
      const events = human
        ? [
            event('e2', {
              source: 'human',
              actor: { id: 'm', username: 'moderator' },
              decision: 'published',
              explanation: 'banter',
            }),
          ]
        : [
            event('e1', {}),
            event('e3', { subjectType: 'video', subjectId: 'v9', decision: 'rejected' }),
          ]
      return { body: { events, nextCursor: null } }
    },
    'GET /api/admin/subjects/comment/c1/timeline': () => ({
      body: {
        subject: {
          type: 'comment',
          id: 'c1',
          label: 'you are awful',
          status: 'published',
          reason: null,
          createdAt: 1_763_000_000_000,
          owner: { id: 'u', username: 'sam' },
        },
        events: [
          event('e1', {}),
          event('e2', {
            source: 'human',
            actor: { id: 'm', username: 'moderator' },
            decision: 'published',
          }),
        ],
        reports: [],
      },
    }),
  })
  render(
    <MemoryRouter initialEntries={[path]}>
      <History />
    </MemoryRouter>,
  )
  return network
}

const historyCalls = (calls: ReturnType<typeof mockFetch>['calls']) =>
  calls.filter((c) => c.path === '/api/admin/history')

describe('History', () => {
  it('sends the chosen filters and shows the moderator by name', async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    const table = await screen.findByRole('table', { name: 'Moderation events' })
    expect(within(table).getAllByRole('row')).toHaveLength(3)

    const form = screen.getByRole('form', { name: 'History filters' })
    await user.selectOptions(within(form).getByLabelText('Subject'), 'comment')
    await user.type(within(form).getByLabelText('Moderator'), 'moderator')
    await user.type(within(form).getByLabelText('Decision'), 'published')
    await user.selectOptions(within(form).getByLabelText('Category'), 'HR')
    await user.selectOptions(within(form).getByLabelText('Source'), 'human')
    await user.type(within(form).getByLabelText('From'), '2026-11-01')
    await user.type(within(form).getByLabelText('To'), '2026-11-22')
    await user.click(within(form).getByRole('button', { name: 'Apply' }))

    await waitFor(() => expect(historyCalls(calls)).toHaveLength(2))
    const query = new URLSearchParams(historyCalls(calls)[1]?.search)
    expect(Object.fromEntries(query)).toEqual({
      subjectType: 'comment',
      actor: 'moderator',
      decision: 'published',
      category: 'HR',
      source: 'human',
      from: '2026-11-01',
      to: '2026-11-22T23:59:59.999Z',
    })
    const row = await screen.findByRole('row', { name: /banter/ })
    expect(within(row).getByText('moderator')).toBeTruthy()
    expect(within(row).getByText('published')).toBeTruthy()
  })

  it("opens a subject's timeline from a row, and clears filters", async () => {
    const user = userEvent.setup()
    const { calls } = setup()
    await user.click(await screen.findByRole('button', { name: 'comment c1' }))
    const timeline = await screen.findByRole('region', { name: 'Subject timeline' })
    expect(within(timeline).getByText(/you are awful/)).toBeTruthy()
    expect(within(timeline).getByText(/moderator: published/)).toBeTruthy()
    const last = historyCalls(calls).at(-1)
    expect(new URLSearchParams(last?.search).get('subjectId')).toBe('c1')
    expect(
      within(screen.getByRole('form', { name: 'History filters' })).getByLabelText('Subject id'),
    ).toHaveProperty('value', 'c1')
    await user.click(screen.getByRole('button', { name: 'Clear' }))
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Subject timeline' })).toBeNull(),
    )
  })
})
