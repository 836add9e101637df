import type { ReactNode } from 'react'
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
}: {
  load: VideoPageLoader
  gridKey: string
  empty: ReactNode
  showStatus?: boolean
}) {
  const page = usePagedVideos(load, gridKey)
  if (page.status === 'loading') return <Loading label="Loading clips" />
  if (page.status === 'error') {
    return <ErrorState message={page.error ?? 'Could not load clips'} onRetry={page.reload} />
  }
  if (page.videos.length === 0) return <>{empty}</>
  return (
    <>
      <VideoGrid videos={page.videos} showStatus={showStatus} />
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
