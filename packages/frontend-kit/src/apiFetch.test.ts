import { afterEach, describe, expect, it, vi } from 'vitest'
import { apiFetch, RETRY_DELAYS_MS } from './apiFetch'

function answers(...statuses: (number | 'drop')[]) {
  const fetchMock = vi.fn(async () => {
    const next = statuses.shift() ?? 200
    if (next === 'drop') throw new TypeError('Failed to fetch')
    return new Response(null, { status: next })
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

// Runs the request while the fake clock moves past every retry delay.
async function settle<T>(promise: Promise<T>): Promise<T> {
  for (const ms of RETRY_DELAYS_MS) await vi.advanceTimersByTimeAsync(ms)
  return promise
}

describe('apiFetch', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('sends the session cookie', async () => {
    const fetchMock = answers(200)
    await apiFetch('/api/feed')
    expect(fetchMock).toHaveBeenCalledWith('/api/feed', { credentials: 'include' })
  })

  it('tries a read again after a 503 and a dropped connection', async () => {
    vi.useFakeTimers()
    const fetchMock = answers(503, 'drop', 200)
    const response = await settle(apiFetch('/api/users/ana'))
    expect(response.status).toBe(200)
    expect(fetchMock).toHaveBeenCalledTimes(3)
  })

  it('gives up after three tries and returns the last answer', async () => {
    vi.useFakeTimers()
    const fetchMock = answers(503, 502, 504, 200)
    const response = await settle(apiFetch('/api/feed'))
    expect(response.status).toBe(504)
    expect(fetchMock).toHaveBeenCalledTimes(3)
  })

  it('never repeats a write, nor a read that failed for good', async () => {
    const post = answers(503)
    expect((await apiFetch('/api/comments', { method: 'POST', body: '{}' })).status).toBe(503)
    expect(post).toHaveBeenCalledTimes(1)
    const read = answers(500, 200)
    expect((await apiFetch('/api/feed')).status).toBe(500)
    expect(read).toHaveBeenCalledTimes(1)
  })
})
