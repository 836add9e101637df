import { useEffect, useRef } from 'react'

// Plays the HLS playlist: natively where the browser can (Safari), through
// hls.js elsewhere. Media that is not public is served only with the
// moderator's session, so every request carries credentials.
export function Player({ src, poster }: { src: string | null; poster: string | null }) {
  const ref = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    const video = ref.current
    if (!video || !src) return
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      video.src = src
      return
    }
    let destroyed = false
    let hls: { destroy(): void } | null = null
    import('hls.js').then(
      ({ default: Hls }) => {
        if (destroyed || !Hls.isSupported()) return
        const h = new Hls({
          xhrSetup: (xhr) => {
            xhr.withCredentials = true
          },
        })
        h.loadSource(src)
        h.attachMedia(video)
        hls = h
      },
      () => undefined,
    )
    return () => {
      destroyed = true
      hls?.destroy()
      video.removeAttribute('src')
    }
  }, [src])
  if (!src) return <div className="player empty">No playable media</div>
  return (
    <video
      ref={ref}
      className="player"
      crossOrigin="use-credentials"
      controls
      muted
      playsInline
      poster={poster ?? undefined}
      data-testid="player"
    />
  )
}
