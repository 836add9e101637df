import { useCallback, useEffect, useRef, useState } from 'react'
import type { ReactNode } from 'react'
import { Link } from 'react-router-dom'
import type { VideoCard } from '../../api/types'

// Ask for the next page while this many clips are still ahead, so paging
// never shows a spinner at the end of a swipe.
export const PAGE_AHEAD = 3
const WHEEL_THRESHOLD = 40
const WHEEL_LOCK_MS = 600
const SWIPE_PX = 50

type Props = {
  videos: VideoCard[]
  hasMore: boolean
  loadingMore: boolean
  onNearEnd: () => void
  // The pager stops listening to keys while something above it (a drawer) has focus.
  keyboardEnabled?: boolean
  renderClip: (video: VideoCard, place: { active: boolean; preload: boolean }) => ReactNode
}

function isTyping(target: EventTarget | null) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  )
}

// One clip per screen; swipe, wheel, arrow keys or j/k move between clips.
export function FeedPager({
  videos,
  hasMore,
  loadingMore,
  onNearEnd,
  keyboardEnabled = true,
  renderClip,
}: Props) {
  const [index, setIndex] = useState(0)
  const wheel = useRef({ total: 0, lockedUntil: 0 })
  const touchStart = useRef<number | null>(null)
  // When nothing more will come, one slide past the last clip says so.
  const ended = !hasMore && !loadingMore
  const last = ended ? videos.length : videos.length - 1

  const step = useCallback(
    (delta: 1 | -1) => setIndex((i) => Math.max(0, Math.min(last, i + delta))),
    [last],
  )

  useEffect(() => {
    if (hasMore && !loadingMore && videos.length > 0 && index >= videos.length - PAGE_AHEAD) {
      onNearEnd()
    }
  }, [index, videos.length, hasMore, loadingMore, onNearEnd])

  useEffect(() => {
    if (!keyboardEnabled) return
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return
      if (e.key === 'ArrowDown' || e.key === 'j' || e.key === 'PageDown') {
        e.preventDefault()
        step(1)
      } else if (e.key === 'ArrowUp' || e.key === 'k' || e.key === 'PageUp') {
        e.preventDefault()
        step(-1)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [keyboardEnabled, step])

  const onWheel = (e: React.WheelEvent) => {
    const now = Date.now()
    const w = wheel.current
    // A trackpad flick fires dozens of wheel events; one gesture moves one clip.
    if (now < w.lockedUntil) return
    w.total += e.deltaY
    if (Math.abs(w.total) >= WHEEL_THRESHOLD) {
      step(w.total > 0 ? 1 : -1)
      w.total = 0
      w.lockedUntil = now + WHEEL_LOCK_MS
    }
  }

  const onTouchStart = (e: React.TouchEvent) => {
    touchStart.current = e.touches[0]?.clientY ?? null
  }
  const onTouchEnd = (e: React.TouchEvent) => {
    const start = touchStart.current
    const end = e.changedTouches[0]?.clientY
    touchStart.current = null
    if (start === null || end === undefined) return
    const dy = start - end
    if (Math.abs(dy) >= SWIPE_PX) step(dy > 0 ? 1 : -1)
  }

  return (
    <section
      className="pager"
      aria-label="Clips"
      aria-roledescription="vertical carousel"
      onWheel={onWheel}
      onTouchStart={onTouchStart}
      onTouchEnd={onTouchEnd}
    >
      {videos.map((video, i) => {
        const offset = i - index
        // Only the neighbourhood is mounted: the clip on screen, the one
        // before, and the next one (preloading).
        if (offset < -1 || offset > 1) return null
        return (
          <article
            key={video.id}
            className="slide"
            style={{ transform: `translateY(${offset * 100}%)` }}
            aria-hidden={offset !== 0}
            inert={offset !== 0}
            aria-label={`${video.title} by @${video.creator.username}`}
            data-testid={offset === 0 ? 'active-clip' : undefined}
          >
            {renderClip(video, { active: offset === 0, preload: offset === 1 })}
          </article>
        )
      })}
      {ended && index >= videos.length - 1 && (
        <article
          className="slide slide-end"
          style={{ transform: `translateY(${(videos.length - index) * 100}%)` }}
          aria-hidden={index !== videos.length}
          inert={index !== videos.length}
          data-testid={index === videos.length ? 'feed-end' : undefined}
        >
          <h2>You are all caught up</h2>
          <p className="muted">
            That was every clip here for now. New ones arrive as creators post them.
          </p>
          <div className="actions">
            <button type="button" className="button button-primary" onClick={() => setIndex(0)}>
              Back to the first clip
            </button>
            <Link className="button" to="/explore">
              Explore
            </Link>
          </div>
        </article>
      )}
      <div className="pager-nav">
        <button
          type="button"
          className="icon-button"
          onClick={() => step(-1)}
          disabled={index === 0}
          aria-label="Previous clip"
        >
          ↑
        </button>
        <button
          type="button"
          className="icon-button"
          onClick={() => step(1)}
          disabled={index >= last}
          aria-label="Next clip"
        >
          ↓
        </button>
      </div>
      {loadingMore && index >= last && (
        <span className="pager-more" role="status">
          Loading more clips…
        </span>
      )}
    </section>
  )
}
