import { api } from '../../api/client'
import { read, RequestError } from '../../api/errors'
import { pendingApi } from '../../api/pending'
import type { VideoPageLoader } from './usePagedVideos'

const PAGE_SIZE = '10'

// The personalised feed where the Worker has it; the newest clips until then.
// Once /api/feed answers 404 the session stays on the latest feed, so cursors
// from the two feeds are never mixed.
export function forYouLoader(): VideoPageLoader {
  let personalised = true
  return async (cursor) => {
    if (personalised) {
      try {
        return await read(pendingApi.feed.$get({ query: { cursor, limit: PAGE_SIZE } }))
      } catch (err) {
        if (!(err instanceof RequestError) || err.status !== 404 || cursor) throw err
        personalised = false
      }
    }
    return read(api.feeds.latest.$get({ query: { cursor, limit: PAGE_SIZE } }))
  }
}
