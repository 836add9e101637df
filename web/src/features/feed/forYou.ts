import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { VideoPageLoader } from './usePagedVideos'

const PAGE_SIZE = '10'

// The personalised feed: exploitation + exploration for signed-in viewers,
// trending for everyone else (the Worker decides).
export function forYouLoader(): VideoPageLoader {
  return (cursor) => read(api.feed.$get({ query: { cursor, limit: PAGE_SIZE } }))
}
