import { STATUS_WORDS } from './status'
import type { VideoStatus } from './status'

export function StatusBadge({ status, reason }: { status: VideoStatus; reason?: string | null }) {
  return (
    <span className={`status status-${status}`}>
      <span className="status-label">{STATUS_WORDS[status]}</span>
      {reason && status !== 'published' && <span className="status-reason">{reason}</span>}
    </span>
  )
}
