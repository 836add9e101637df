import { hc } from 'hono/client'
import type { AppType } from '../../../worker/src/app'

// Same origin as the Worker that serves this app, so the session cookie rides along.
// `fetch` is looked up per call so tests can replace it at the network boundary.
export const api = hc<AppType>(typeof location === 'undefined' ? 'http://localhost/' : '/', {
  fetch: (input: RequestInfo | URL, init?: RequestInit) =>
    fetch(input, { ...init, credentials: 'include' }),
}).api
