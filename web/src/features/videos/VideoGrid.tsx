import type { ReactNode } from 'react'
import { Link } from 'react-router-dom'
import type { VideoCard } from '../../api/types'
import { formatCount, formatDuration } from '../../ui/format'
import { useSafety } from '../safety/safety'
import { StatusBadge } from './StatusBadge'

export function VideoGrid({
  videos,
  showStatus = false,
  actions,
  exclude,
}: {
  videos: VideoCard[]
  showStatus?: boolean
  // Controls under a tile (a creator's Edit and Delete), outside its link.
  actions?: (video: VideoCard) => ReactNode
  // Clips that left since the page loaded (deleted here).
  exclude?: ReadonlySet<string>
}) {
  const { videoHidden } = useSafety()
  return (
    <ul className="grid">
      {videos
        .filter((v) => !videoHidden(v) && !exclude?.has(v.id))
        .map((v) => (
          <li key={v.id} className="grid-item">
            <Link to={`/v/${v.id}`} className="grid-link">
              {v.posterUrl ? (
                <img src={v.posterUrl} alt="" loading="lazy" className="grid-poster" />
              ) : (
                <span className="grid-poster grid-poster-empty" aria-hidden="true">
                  {/* A failed upload has nothing to play: no play icon that promises it. */}
                  {v.status === 'failed' ? '!' : '▶'}
                </span>
              )}
              <span className="grid-meta">
                <span className="grid-title">{v.title}</span>
                <span className="muted">
                  ♥ {formatCount(v.counts.likes)} · ▶ {formatCount(v.counts.views)}
                  {v.durationSeconds !== null && ` · ${formatDuration(v.durationSeconds)}`}
                </span>
                {showStatus && v.status && (
                  <StatusBadge status={v.status} reason={v.statusReason} />
                )}
              </span>
            </Link>
            {actions?.(v)}
          </li>
        ))}
    </ul>
  )
}
