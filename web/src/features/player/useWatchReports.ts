import { useEffect, useRef } from 'react'
import type { RefObject } from 'react'
import { sendWatch, WatchTally } from './watchReport'

const REPORT_EVERY_MS = 10_000

// Reports watch progress for the clip on screen: every few seconds while it
// plays, when the viewer moves on, and when the page is hidden.
export function useWatchReports(
  videoRef: RefObject<HTMLVideoElement | null>,
  videoId: string,
  active: boolean,
  enabled: boolean,
) {
  const tally = useRef(new WatchTally())

  useEffect(() => {
    const video = videoRef.current
    if (!video || !active || !enabled) return
    const current = tally.current
    const flush = () => {
      const report = current.take()
      if (report) sendWatch(videoId, report)
    }
    const onTime = () => current.observe(video.currentTime, video.duration)
    const onSeek = () => current.interrupt()
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush()
    }
    video.addEventListener('timeupdate', onTime)
    video.addEventListener('seeking', onSeek)
    document.addEventListener('visibilitychange', onHide)
    window.addEventListener('pagehide', flush)
    const timer = window.setInterval(flush, REPORT_EVERY_MS)
    return () => {
      video.removeEventListener('timeupdate', onTime)
      video.removeEventListener('seeking', onSeek)
      document.removeEventListener('visibilitychange', onHide)
      window.removeEventListener('pagehide', flush)
      window.clearInterval(timer)
      current.interrupt()
      flush()
    }
  }, [videoRef, videoId, active, enabled])
}
