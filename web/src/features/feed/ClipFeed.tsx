import { useCallback, useEffect, useState } from 'react'
import type { ReactNode } from 'react'
import type { VideoCard } from '../../api/types'
import { ErrorState, Loading } from '../../ui/states'
import { CommentsDrawer } from '../comments/CommentsDrawer'
import { useSafety, useUnblock } from '../safety/safety'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { SafetyNotice } from '../safety/SafetyMenu'
import { ClipSlide } from './ClipSlide'
import { FeedPager } from './FeedPager'
import { usePagedVideos } from './usePagedVideos'
import type { VideoPageLoader } from './usePagedVideos'

// A full-screen feed: pager, shared mute state and the comments drawer.
export function ClipFeed({
  load,
  feedKey,
  empty,
  recommended = false,
}: {
  load: VideoPageLoader
  feedKey: string
  empty: ReactNode
  // A recommended feed offers "Why am I seeing this?" and "Not interested" on each clip.
  recommended?: boolean
}) {
  const feed = usePagedVideos(load, feedKey)
  // Browsers only autoplay muted video; one unmute applies to every clip after.
  const [muted, setMuted] = useState(true)
  const [commentsFor, setCommentsFor] = useState<VideoCard | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  // Reported clips and blocked creators leave the feed at once; this says so and offers undo.
  const [safetyNotice, setSafetyNotice] = useState<SafetyOutcome | null>(null)
  const { videoHidden } = useSafety()
  const unblock = useUnblock()
  const { remove } = feed
  const notInterested = useCallback(
    (videoId: string) => {
      remove(videoId)
      setNotice('Got it. You will see fewer clips like that.')
    },
    [remove],
  )
  useEffect(() => {
    if (!notice) return
    const timer = window.setTimeout(() => setNotice(null), 4000)
    return () => window.clearTimeout(timer)
  }, [notice])
  useEffect(() => {
    if (!safetyNotice) return
    const timer = window.setTimeout(() => setSafetyNotice(null), 10_000)
    return () => window.clearTimeout(timer)
  }, [safetyNotice])

  if (feed.status === 'loading') return <Loading label="Loading clips" />
  if (feed.status === 'error') {
    return <ErrorState message={feed.error ?? 'Could not load clips'} onRetry={feed.reload} />
  }
  const videos = feed.videos.filter((v) => !videoHidden(v))

  return (
    <div className={videos.length === 0 ? 'feed feed-ended' : 'feed'}>
      {/* The last clip can leave (not interested, reported): the end state still says why. */}
      {videos.length === 0 ? (
        empty
      ) : (
        <FeedPager
          videos={videos}
          hasMore={feed.hasMore}
          loadingMore={feed.loadingMore}
          onNearEnd={feed.loadMore}
          keyboardEnabled={commentsFor === null}
          renderClip={(video, place) => (
            <ClipSlide
              video={video}
              active={place.active}
              preload={place.preload}
              muted={muted}
              onToggleMute={() => setMuted((m) => !m)}
              onOpenComments={setCommentsFor}
              onNotInterested={recommended ? notInterested : undefined}
              onSafety={setSafetyNotice}
            />
          )}
        />
      )}
      {notice && (
        <p className="feed-notice" role="status">
          {notice}
        </p>
      )}
      {safetyNotice && (
        <SafetyNotice
          outcome={safetyNotice}
          onUndo={
            safetyNotice.kind === 'blocked'
              ? () =>
                  void unblock(safetyNotice.username).then(
                    () => setSafetyNotice({ kind: 'unblocked', username: safetyNotice.username }),
                    () => undefined,
                  )
              : undefined
          }
        />
      )}
      {commentsFor && <CommentsDrawer video={commentsFor} onClose={() => setCommentsFor(null)} />}
    </div>
  )
}
