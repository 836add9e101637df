import { render, screen, waitFor } from '@testing-library/react'
import { MemoryRouter } from 'react-router-dom'
import { describe, expect, it } from 'vitest'
import { RequestError } from '@clipstream/frontend-kit/errors'
import { ErrorState } from './states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'

function Page({ fail }: { fail: () => Promise<never> }) {
  const page = useAsync(fail, 'page')
  if (page.status !== 'error') return <p>loading</p>
  return <ErrorState message={page.error} onRetry={page.reload} gone={page.gone} />
}

function renderPage(fail: () => Promise<never>) {
  return render(
    <MemoryRouter>
      <Page fail={fail} />
    </MemoryRouter>,
  )
}

describe('error states', () => {
  it('offers the feed, not Try again, for something that does not exist', async () => {
    renderPage(() => Promise.reject(new RequestError(404, 'not_found', 'Clip not found')))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Clip not found'))
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull()
    expect(screen.getByRole('link', { name: 'Go to the feed' }).getAttribute('href')).toBe('/')
  })

  it('offers Try again when asking again can help', async () => {
    renderPage(() => Promise.reject(new RequestError(503, 'unavailable', 'Try later')))
    await waitFor(() => expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy())
    expect(screen.queryByRole('link', { name: 'Go to the feed' })).toBeNull()
  })
})
