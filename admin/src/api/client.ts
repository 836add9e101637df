import { apiFetch } from '@clipstream/frontend-kit/apiFetch'
import { hc } from 'hono/client'
import type { AppType } from '../../../worker/src/app'

// The API lives on another origin (the Worker); the session cookie rides
// along because every call sends credentials (apiFetch, which also tries a
// read again after a passing 502/503/504).
export const API_URL: string = import.meta.env.VITE_API_URL ?? 'http://127.0.0.1:8787'

export const api = hc<AppType>(API_URL, {
  fetch: apiFetch,
}).api
