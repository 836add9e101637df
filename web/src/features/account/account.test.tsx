import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import type { MyReport } from '../../../../worker/src/features/reports/mine'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { MyReports } from './MyReports'

const report = (over: Partial<MyReport>): MyReport => ({
  id: 'r1',
  subjectType: 'video',
  subjectId: 'v1',
  subjectLabel: 'Clip “Loud clip”',
  reason: 'hate',
  status: 'pending',
  outcome: null,
  outcomeMessage: null,
  createdAt: Date.UTC(2026, 10, 20),
  resolvedAt: null,
  ...over,
})

describe('your reports in settings', () => {
  it('shows each report with its reason and where it stands, then the outcome', async () => {
    mockFetch({
      'GET /api/reports/mine': () => ({
        body: {
          reports: [
            report({ id: 'r1' }),
            report({
              id: 'r2',
              subjectType: 'comment',
              subjectLabel: 'A comment under “Loud clip”',
              reason: 'harassment',
              status: 'resolved',
              outcome: 'action_taken',
              outcomeMessage: 'A moderator reviewed it and took action. Thank you for telling us.',
              resolvedAt: Date.UTC(2026, 10, 22),
            }),
            report({
              id: 'r3',
              subjectType: 'user',
              subjectLabel: '@loud',
              reason: 'spam',
              status: 'dismissed',
              outcome: 'no_violation',
              outcomeMessage: 'A moderator reviewed it and found it within our rules.',
              resolvedAt: Date.UTC(2026, 10, 23),
            }),
          ],
        },
      }),
    })
    render(<MyReports />)
    const items = await screen.findAllByTestId('my-report')
    expect(items).toHaveLength(3)
    const [pending, acted, dismissed] = items.map((item) => within(item))
    expect(pending?.getByText('Clip “Loud clip”')).toBeTruthy()
    expect(pending?.getByText('Waiting for review')).toBeTruthy()
    expect(pending?.getByText(/Hate speech · reported/)).toBeTruthy()
    expect(pending?.getByText(/decision will show here/)).toBeTruthy()
    expect(acted?.getByText('Action taken')).toBeTruthy()
    expect(acted?.getByText(/took action/)).toBeTruthy()
    expect(acted?.getByText(/Harassment or bullying · reported .* · decided/)).toBeTruthy()
    expect(dismissed?.getByText('No rule broken')).toBeTruthy()
    expect(dismissed?.getByText(/within our rules/)).toBeTruthy()
  })

  it('says when there is nothing, and offers to try again after a failure', async () => {
    let fail = true
    mockFetch({
      'GET /api/reports/mine': () =>
        fail
          ? { status: 500, body: { error: { code: 'internal', message: 'Boom', requestId: 't' } } }
          : { body: { reports: [] } },
    })
    render(<MyReports />)
    expect((await screen.findByRole('alert')).textContent).toContain('Boom')
    fail = false
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText(/You have not reported anything/)).toBeTruthy()
  })
})
