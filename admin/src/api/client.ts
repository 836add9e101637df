import { hc } from 'hono/client'
import type { AppType } from '../../../worker/src/app'

// The API lives on another origin (the Worker); the session cookie rides
// along because every call sends credentials. `fetch` is looked up per call
// so tests can replace it at the network boundary.
export const API_URL: string = import.meta.env.VITE_API_URL ?? 'http://127.0.0.1:8787'

export const api = hc<AppType>(API_URL, {
  fetch: (input: RequestInfo | URL, init?: RequestInit) =>
    fetch(input, { ...init, credentials: 'include' }),
}).api
