import { useEffect, useRef, useState } from 'react'
import type { VideoCard } from '../../api/types'
import { attachStream } from './attachStream'
import { useWatchReports } from './useWatchReports'

const DOUBLE_TAP_MS = 280

type Props = {
  video: VideoCard
  // On screen: plays. Preloaded: stream attached and buffering, paused.
  active: boolean
  preload: boolean
  muted: boolean
  trackWatching: boolean
  onDoubleTap?: () => void
}

export function VideoPlayer({ video, active, preload, muted, trackWatching, onDoubleTap }: Props) {
  const ref = useRef<HTMLVideoElement>(null)
  // 'loading' shows a spinner (starting or buffering); 'paused' (by the viewer, or autoplay
  // refused) shows a play button. The spinner never covers a clip the viewer paused.
  const [status, setStatus] = useState<'loading' | 'playing' | 'paused'>('loading')
  const [failed, setFailed] = useState(false)
  const lastTap = useRef(0)
  const tapTimer = useRef<number | undefined>(undefined)
  const url = video.playlistUrl
  const attached = active || preload

  useWatchReports(ref, video.id, active, trackWatching)

  useEffect(() => {
    const el = ref.current
    if (!el || !url || !attached) return
    let detach: (() => void) | undefined
    let live = true
    attachStream(el, url).then(
      (d) => {
        if (live) detach = d
        else d()
      },
      () => live && setFailed(true),
    )
    return () => {
      live = false
      detach?.()
    }
  }, [url, attached])

  useEffect(() => {
    const el = ref.current
    if (!el) return
    if (!active) {
      el.pause()
      return
    }
    setStatus('loading')
    // Autoplay refused (or interrupted): let the viewer start it.
    el.play().catch(() => setStatus('paused'))
  }, [active, url])

  useEffect(() => {
    if (ref.current) ref.current.muted = muted
  }, [muted])

  const togglePlay = () => {
    const el = ref.current
    if (!el) return
    if (el.paused) {
      setStatus(el.readyState >= 3 ? 'playing' : 'loading')
      el.play().catch(() => setStatus('paused'))
    } else el.pause()
  }

  const onTap = () => {
    const now = Date.now()
    if (onDoubleTap && now - lastTap.current < DOUBLE_TAP_MS) {
      window.clearTimeout(tapTimer.current)
      lastTap.current = 0
      onDoubleTap()
      return
    }
    lastTap.current = now
    tapTimer.current = window.setTimeout(togglePlay, onDoubleTap ? DOUBLE_TAP_MS : 0)
  }

  if (!url) {
    return (
      <div className="player player-missing">
        <p>This clip is not playable yet.</p>
      </div>
    )
  }

  return (
    <div className="player">
      <video
        ref={ref}
        className="player-video"
        poster={video.posterUrl ?? undefined}
        muted={muted}
        playsInline
        loop
        preload={attached ? 'auto' : 'none'}
        onPlaying={() => setStatus('playing')}
        onPause={() => setStatus('paused')}
        onWaiting={() => setStatus('loading')}
        onError={() => setFailed(true)}
        onClick={onTap}
        aria-label={video.title}
        data-testid="clip-video"
      />
      {active && status === 'loading' && !failed && (
        <span className="spinner player-spinner" aria-label="Loading clip" />
      )}
      {active && status === 'paused' && !failed && (
        <button type="button" className="player-play" onClick={togglePlay} aria-label="Play">
          ▶
        </button>
      )}
      {failed && <p className="player-error">This clip could not be played.</p>}
    </div>
  )
}
