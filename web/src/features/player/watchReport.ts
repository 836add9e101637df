import { api } from '../../api/client'

// Seeks and stalls show up as jumps in currentTime; only small steps count as watching.
const MAX_STEP_SECONDS = 1.5

// Accumulates what the viewer really watched of one clip between reports.
export class WatchTally {
  private lastTime: number | null = null
  private unsentSeconds = 0
  private fraction = 0
  private reportedFraction = 0

  observe(currentTime: number, duration: number) {
    if (this.lastTime !== null) {
      const step = currentTime - this.lastTime
      if (step > 0 && step <= MAX_STEP_SECONDS) this.unsentSeconds += step
    }
    this.lastTime = currentTime
    if (Number.isFinite(duration) && duration > 0) {
      this.fraction = Math.max(this.fraction, Math.min(1, currentTime / duration))
    }
  }

  // A jump that is not watching (seek, switching clips): forget the last position.
  interrupt() {
    this.lastTime = null
  }

  // What to send now, or null when nothing new happened since the last report.
  take(): { fraction: number; seconds: number } | null {
    const seconds = Math.min(3600, Math.round(this.unsentSeconds * 10) / 10)
    if (seconds <= 0 && this.fraction <= this.reportedFraction) return null
    this.unsentSeconds = 0
    this.reportedFraction = this.fraction
    return { fraction: Math.round(this.fraction * 1000) / 1000, seconds }
  }
}

// keepalive lets the request outlive the page when it is being hidden or closed;
// unlike sendBeacon it keeps the JSON content type the API expects.
export function sendWatch(videoId: string, report: { fraction: number; seconds: number }) {
  api.videos[':id'].watch
    .$post({ param: { id: videoId }, json: report }, { init: { keepalive: true } })
    .catch(() => undefined)
}
