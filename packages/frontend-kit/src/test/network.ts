import { vi } from 'vitest'

export type Handler = (request: { url: URL; method: string; body: unknown }) => {
  status?: number
  body: unknown
}

export type RecordedCall = { method: string; path: string; search: string; body: unknown }

// Replaces fetch at the network boundary: routes are "METHOD /path" keys,
// matched on the path only; every call is recorded for assertions.
export function mockFetch(routes: Record<string, Handler>) {
  const calls: RecordedCall[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), 'http://localhost/')
    const method = (init?.method ?? 'GET').toUpperCase()
    const raw = init?.body
    const body: unknown = typeof raw === 'string' ? JSON.parse(raw) : undefined
    calls.push({ method, path: url.pathname, search: url.search, body })
    const handler = routes[`${method} ${url.pathname}`]
    if (!handler) {
      return Response.json(
        {
          error: {
            code: 'not_found',
            message: `No route for ${method} ${url.pathname}`,
            requestId: 't',
          },
        },
        { status: 404 },
      )
    }
    const answer = handler({ url, method, body })
    return Response.json(answer.body, { status: answer.status ?? 200 })
  })
  vi.stubGlobal('fetch', fetchMock)
  return { calls, fetchMock }
}
