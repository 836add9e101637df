import { apiFetch } from '@clipstream/frontend-kit/apiFetch'
import { hc } from 'hono/client'
import type { AppType } from '../../../worker/src/app'

// Same origin as the Worker that serves this app, so the session cookie rides along
// (apiFetch sends it, and tries a read again after a passing 502/503/504).
export const api = hc<AppType>(typeof location === 'undefined' ? 'http://localhost/' : '/', {
  fetch: apiFetch,
}).api
