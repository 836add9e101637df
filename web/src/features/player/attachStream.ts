export type DetachStream = () => void

const HLS_TYPE = 'application/vnd.apple.mpegurl'

export function playsHlsNatively(video: HTMLVideoElement): boolean {
  return video.canPlayType(HLS_TYPE) !== ''
}

// Safari and iOS play HLS themselves; everyone else gets hls.js, fetched only
// then, so it never weighs on the first page load.
export async function attachStream(video: HTMLVideoElement, url: string): Promise<DetachStream> {
  const playNatively = () => {
    video.src = url
    return () => {
      video.removeAttribute('src')
      video.load()
    }
  }
  if (playsHlsNatively(video)) return playNatively()
  const { default: Hls } = await import('hls.js')
  if (!Hls.isSupported()) return playNatively()
  const hls = new Hls({ capLevelToPlayerSize: true, maxBufferLength: 12, startLevel: -1 })
  hls.loadSource(url)
  hls.attachMedia(video)
  return () => hls.destroy()
}
