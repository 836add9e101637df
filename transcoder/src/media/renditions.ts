// Reads what ffmpeg wrote for each rung and writes the master playlist that ties them together.
import { readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { H264_LEVEL_IDC, H264_PROFILE_IDC } from './ladder'
import type { Rung, RungName } from './ladder'

export interface Rendition {
  name: RungName
  width: number
  height: number
  bandwidth: number
  playlist: string
  segments: number
  durationSeconds: number
}

interface RenditionDetails extends Rendition {
  averageBandwidth: number
  codecs: string
  files: string[]
}

export interface MediaPlaylist {
  segments: Array<{ uri: string; durationSeconds: number }>
  ended: boolean
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/).map((line) => line.trim())
  if (lines[0] !== '#EXTM3U') throw new Error('not an HLS playlist')
  const segments: MediaPlaylist['segments'] = []
  let pending: number | null = null
  for (const line of lines) {
    if (line.startsWith('#EXTINF:')) pending = Number.parseFloat(line.slice('#EXTINF:'.length))
    else if (line !== '' && !line.startsWith('#') && pending !== null) {
      segments.push({ uri: line, durationSeconds: pending })
      pending = null
    }
  }
  return { segments, ended: lines.includes('#EXT-X-ENDLIST') }
}

// RFC 6381 codec string. Profile and level are pinned on the encoder (see ladder.ts) rather than
// read back from the segments: the npm-shipped ffprobe crashes on MPEG-TS files.
function codecsOf(hasAudio: boolean): string {
  const avc = `avc1.${H264_PROFILE_IDC}${H264_LEVEL_IDC.toString(16).padStart(2, '0')}`
  return hasAudio ? `${avc},mp4a.40.2` : avc
}

async function readRendition(
  workDir: string,
  rung: Rung,
  hasAudio: boolean,
): Promise<RenditionDetails> {
  const playlist = `hls/${rung.name}/index.m3u8`
  const parsed = parseMediaPlaylist(await readFile(path.join(workDir, playlist), 'utf8'))
  let peak = 0
  let totalBits = 0
  let totalSeconds = 0
  const files = [playlist]
  for (const segment of parsed.segments) {
    const relative = `hls/${rung.name}/${segment.uri}`
    const { size } = await stat(path.join(workDir, relative))
    files.push(relative)
    totalBits += size * 8
    totalSeconds += segment.durationSeconds
    // A very short last segment would overstate the peak, so count at least one second.
    peak = Math.max(peak, (size * 8) / Math.max(1, segment.durationSeconds))
  }
  if (parsed.segments.length === 0) throw new Error(`rendition ${rung.name} has no segments`)
  return {
    name: rung.name,
    width: rung.width,
    height: rung.height,
    bandwidth: Math.ceil(peak),
    averageBandwidth: Math.ceil(totalBits / Math.max(totalSeconds, 0.001)),
    playlist,
    segments: parsed.segments.length,
    durationSeconds: Math.round(totalSeconds * 1000) / 1000,
    codecs: codecsOf(hasAudio),
    files,
  }
}

export function masterPlaylist(
  renditions: Array<Rendition & { averageBandwidth: number; codecs: string }>,
  frameRate: number,
): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS']
  for (const rendition of renditions) {
    const attributes = [
      `BANDWIDTH=${rendition.bandwidth}`,
      `AVERAGE-BANDWIDTH=${rendition.averageBandwidth}`,
      `RESOLUTION=${rendition.width}x${rendition.height}`,
      `CODECS="${rendition.codecs}"`,
    ]
    if (frameRate > 0) attributes.push(`FRAME-RATE=${Math.min(frameRate, 30).toFixed(3)}`)
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`)
    lines.push(rendition.playlist.replace(/^hls\//, ''))
  }
  return `${lines.join('\n')}\n`
}

export const MASTER_PLAYLIST = 'hls/master.m3u8'

// Returns the renditions for the callback and every HLS file to upload (master last).
export async function finishLadder(
  workDir: string,
  rungs: Rung[],
  source: { hasAudio: boolean; frameRate: number },
): Promise<{ renditions: Rendition[]; files: string[] }> {
  const details: RenditionDetails[] = []
  for (const rung of rungs) details.push(await readRendition(workDir, rung, source.hasAudio))
  await writeFile(path.join(workDir, MASTER_PLAYLIST), masterPlaylist(details, source.frameRate))
  return {
    renditions: details.map(({ averageBandwidth: _a, codecs: _c, files: _f, ...rendition }) => ({
      ...rendition,
    })),
    files: [...details.flatMap((detail) => detail.files), MASTER_PLAYLIST],
  }
}
