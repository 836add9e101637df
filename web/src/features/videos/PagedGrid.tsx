import type { ReactNode } from 'react'
import type { VideoCard } from '../../api/types'
import { ErrorState, Loading } from '../../ui/states'
import { usePagedVideos } from '../feed/usePagedVideos'
import type { VideoPageLoader } from '../feed/usePagedVideos'
import { VideoGrid } from './VideoGrid'

// A grid of clips with a load-more button, for Explore, profiles and My videos.
export function PagedGrid({
  load,
  gridKey,
  empty,
  showStatus,
  actions,
  exclude,
}: {
  load: VideoPageLoader
  gridKey: string
  empty: ReactNode
  showStatus?: boolean
  actions?: (video: VideoCard) => ReactNode
  exclude?: ReadonlySet<string>
}) {
  const page = usePagedVideos(load, gridKey)
  if (page.status === 'loading') return <Loading label="Loading clips" />
  if (page.status === 'error') {
    return <ErrorState message={page.error ?? 'Could not load clips'} onRetry={page.reload} />
  }
  if (page.videos.every((v) => exclude?.has(v.id))) return <>{empty}</>
  return (
    <>
      <VideoGrid videos={page.videos} showStatus={showStatus} actions={actions} exclude={exclude} />
      {page.error && (
        <p className="form-error" role="alert">
          {page.error}
        </p>
      )}
      {page.hasMore && (
        <button
          type="button"
          className="button load-more"
          disabled={page.loadingMore}
          onClick={page.loadMore}
        >
          {page.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  )
}
