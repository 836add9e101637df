import { useEffect, useRef } from 'react'
import type { VideoCard } from '../../api/types'
import { CommentsPanel } from './CommentsPanel'

export function CommentsDrawer({ video, onClose }: { video: VideoCard; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null)

  useEffect(() => {
    ref.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <div
        ref={ref}
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-label={`Comments on ${video.title}`}
        tabIndex={-1}
        onClick={(e) => e.stopPropagation()}
      >
        <header className="drawer-header">
          <h2>Comments</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <CommentsPanel videoId={video.id} creatorId={video.creator.id} />
      </div>
    </div>
  )
}
