import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { RequestError } from './errors'
import { useAsync } from './useAsync'

// A load whose answer the test releases by hand, to look at the state in between.
function pending<T>() {
  let release: (value: T) => void = () => undefined
  const promise = new Promise<T>((resolve) => {
    release = resolve
  })
  return { promise, release }
}

describe('useAsync', () => {
  it('blanks the old answer while a new key loads', async () => {
    const next = pending<string>()
    const { result, rerender } = renderHook(
      ({ id }: { id: string }) =>
        useAsync(() => (id === 'a' ? Promise.resolve('A') : next.promise), id),
      { initialProps: { id: 'a' } },
    )
    await waitFor(() => expect(result.current.data).toBe('A'))
    rerender({ id: 'b' })
    expect(result.current.status).toBe('loading')
    expect(result.current.data).toBeUndefined()
    await act(async () => next.release('B'))
    expect(result.current.data).toBe('B')
  })

  it('with keepPrevious, keeps the old answer on screen until the new one arrives', async () => {
    const next = pending<string>()
    const { result, rerender } = renderHook(
      ({ q }: { q: string }) =>
        useAsync(() => (q === '' ? Promise.resolve('all') : next.promise), q, {
          keepPrevious: true,
        }),
      { initialProps: { q: '' } },
    )
    await waitFor(() => expect(result.current.data).toBe('all'))
    rerender({ q: 'maya' })
    expect(result.current).toMatchObject({ status: 'ready', data: 'all' })
    await act(async () => next.release('maya only'))
    expect(result.current.data).toBe('maya only')
  })

  it('marks a missing thing as gone, so the page offers no retry', async () => {
    const { result } = renderHook(() =>
      useAsync(() => Promise.reject(new RequestError(404, 'not_found', 'Video not found')), 'v'),
    )
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current).toMatchObject({ error: 'Video not found', gone: true })
  })
})
