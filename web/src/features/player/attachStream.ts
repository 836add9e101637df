export type DetachStream = () => void

const HLS_TYPE = 'application/vnd.apple.mpegurl'

// Bits per second assumed before anything was measured, when the browser gives no hint:
// enough for the 480p rung (about 1.1 Mbit/s), which most phones' players fit.
export const DEFAULT_BANDWIDTH = 1_500_000

// What hls.js measured on the last clip. The next clip starts from it, so a fast connection
// starts every clip after the first at the rung that fits the player instead of at 240p
// (hls.js's own default estimate is 500 kbit/s, which picks the lowest rung and keeps it
// for the first ~5 s of every clip).
let measuredBandwidth: number | undefined

export function rememberBandwidth(bitsPerSecond: number): void {
  if (Number.isFinite(bitsPerSecond) && bitsPerSecond > 0) measuredBandwidth = bitsPerSecond
}

// The starting estimate: the last measurement, else the browser's own (Network Information
// API, in Mbit/s: Chromium-based browsers), else the default.
export function startingBandwidth(nav: Navigator = navigator): number {
  if (measuredBandwidth !== undefined) return measuredBandwidth
  const downlink = (nav as Navigator & { connection?: { downlink?: number } }).connection?.downlink
  if (typeof downlink === 'number' && downlink > 0) return downlink * 1_000_000
  return DEFAULT_BANDWIDTH
}

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
  // Auto start level: the highest rung under the estimate, capped to the player's size.
  // No bandwidth test: it fetches the first segment of the lowest rung before anything else.
  const hls = new Hls({
    capLevelToPlayerSize: true,
    maxBufferLength: 12,
    startLevel: -1,
    testBandwidth: false,
    abrEwmaDefaultEstimate: startingBandwidth(),
  })
  hls.on(Hls.Events.FRAG_LOADED, () => rememberBandwidth(hls.bandwidthEstimate))
  hls.loadSource(url)
  hls.attachMedia(video)
  return () => hls.destroy()
}
