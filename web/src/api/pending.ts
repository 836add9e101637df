import type { Hono } from 'hono'
import { hc } from 'hono/client'
import type { VideoCard, VideoPage } from './types'

// Routes the Worker is still building (personalised and similar feeds: issue 6). Their agreed contract is written here in Hono's
// schema form so calls still go through hc and responses through
// InferResponseType. When a route lands in AppType, move its caller to
// `api` and delete its entry here.

type Json<I, O, S extends 200 | 201 = 200> = {
  input: I
  output: O
  outputFormat: 'json'
  status: S
}

type PendingSchema = {
  '/api/feed': { $get: Json<{ query: { cursor?: string; limit?: string } }, VideoPage> }
  '/api/videos/:id/similar': { $get: Json<{ param: { id: string } }, { videos: VideoCard[] }> }
}

export const pendingApi = hc<Hono<object, PendingSchema>>(
  typeof location === 'undefined' ? 'http://localhost/' : '/',
  {
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, { ...init, credentials: 'include' }),
  },
).api
