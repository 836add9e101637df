// The apps' fetch for the API: sends the session cookie, and tries a read again when the edge
// or a busy Worker answers "try again" (502, 503, 504) or the connection drops. A page that
// loses one read to a passing overload would otherwise show an error the next second would
// not have. Writes are never repeated: the first may have happened.

// Waits before the second and third try.
export const RETRY_DELAYS_MS = [300, 1000] as const

const TRANSIENT = new Set([502, 503, 504])

function methodOf(input: RequestInfo | URL, init?: RequestInit): string {
  return (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
}

export async function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const method = methodOf(input, init)
  const repeatable = method === 'GET' || method === 'HEAD'
  for (let attempt = 0; ; attempt++) {
    const last = !repeatable || attempt >= RETRY_DELAYS_MS.length
    try {
      // `fetch` is looked up per call so tests can replace it at the network boundary.
      const response = await fetch(input, { ...init, credentials: 'include' })
      if (last || !TRANSIENT.has(response.status)) return response
    } catch (err) {
      if (last || init?.signal?.aborted === true) throw err
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]))
  }
}
