// Decides whether an upload is a video we can process, before any encoding: magic bytes first
// (the file name and Content-Type are the creator's word, the bytes are not), then ffprobe.
import { open, stat } from 'node:fs/promises'
import { JobFailure } from '../jobs/failure'
import { FfmpegError, probeMedia, scanVideoSeconds } from './ffmpeg'
import type { FfprobeStream, MediaTools } from './ffmpeg'

export type ContainerKind = 'mp4' | 'mov' | 'webm' | 'matroska' | 'avi' | 'mpegts' | 'ogg'

// What the source promises about its picture track, for checking the encode against it.
export interface InspectedSource extends SourceProbe {
  videoSeconds: number
}

export interface SourceProbe {
  durationSeconds: number
  width: number
  height: number
  rotation: number
  container: ContainerKind
  videoCodec: string
  audioCodec: string | null
  hasAudio: boolean
  bitRate: number
  frameRate: number
}

const IMAGE_SIGNATURES: Array<[string, number[]]> = [
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
]

function startsWith(head: Buffer, bytes: number[], offset = 0): boolean {
  return bytes.every((byte, i) => head[offset + i] === byte)
}

export function sniffContainer(head: Buffer): ContainerKind | null {
  const ascii = (start: number, end: number): string => head.subarray(start, end).toString('latin1')
  const box = ascii(4, 8)
  if (box === 'ftyp') return ascii(8, 12) === 'qt  ' ? 'mov' : 'mp4'
  if (['moov', 'mdat', 'wide', 'free', 'skip'].includes(box)) return 'mov'
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) {
    return head.subarray(0, 64).includes('webm') ? 'webm' : 'matroska'
  }
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return 'avi'
  if (ascii(0, 4) === 'OggS') return 'ogg'
  if (head[0] === 0x47 && (head.length < 189 || head[188] === 0x47)) return 'mpegts'
  return null
}

function describeNonVideo(head: Buffer): string {
  const image = IMAGE_SIGNATURES.find(([, bytes]) => startsWith(head, bytes))
  if (image !== undefined) return `This file is a ${image[0]} image, not a video.`
  return 'This file is not a video we can read (supported: MP4, MOV, WebM, MKV, AVI, MPEG-TS).'
}

async function readHead(file: string, length: number): Promise<Buffer> {
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

function numberOrNull(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(parsed) ? parsed : null
}

function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? '').split('/').map(Number)
  if (num === undefined || den === undefined || !(den > 0) || !Number.isFinite(num)) return 0
  return Math.round((num / den) * 1000) / 1000
}

// ffprobe reports the display matrix as an angle that can be negative; callers want 0/90/180/270.
function normaliseRotation(stream: FfprobeStream): number {
  const raw = numberOrNull(stream.rotation) ?? numberOrNull(stream.tags?.rotate) ?? 0
  return (((Math.round(raw / 90) * 90) % 360) + 360) % 360
}

// "00:00:03.008000000", as Matroska muxers tag each track.
function clockSeconds(value: unknown): number | null {
  const match = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(String(value ?? ''))
  return match === null ? null : Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])
}

function classifyProbeError(error: unknown): JobFailure {
  const text = error instanceof FfmpegError ? error.stderr : String(error)
  // A crashing ffprobe says nothing about the file (the npm-shipped one crashes on MPEG-TS).
  if (/killed with signal|ENOENT|EACCES/.test(text)) {
    return new JobFailure('internal', undefined, { detail: text.slice(0, 500) })
  }
  if (/moov atom not found|end of file|partial file/i.test(text)) {
    return new JobFailure('truncated', undefined, { detail: text.slice(-500) })
  }
  return new JobFailure('corrupt', 'The video is damaged: its header cannot be read.', {
    detail: text.slice(-500),
  })
}

export async function inspectSource(
  tools: MediaTools,
  file: string,
  maxDurationSeconds: number,
): Promise<InspectedSource> {
  const { size } = await stat(file)
  if (size === 0) throw new JobFailure('empty_file')
  const head = await readHead(file, 4096)
  const container = sniffContainer(head)
  if (container === null) throw new JobFailure('not_a_video', describeNonVideo(head))

  // -count_packets reads every packet without decoding: cheap, and it exposes uploads that were
  // cut off but still have an intact header (nb_read_packets < nb_frames).
  const data = await probeMedia(tools, file, ['-count_packets']).catch((error: unknown) => {
    throw classifyProbeError(error)
  })
  const video = data.streams.find(
    (stream) => stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1,
  )
  const audio = data.streams.find((stream) => stream.codec_type === 'audio')
  if (video === undefined) {
    throw new JobFailure('not_a_video', 'This file has no picture: it looks like audio only.')
  }
  const codec = video.codec_name
  if (codec === undefined || codec === 'none' || codec === 'unknown') {
    throw new JobFailure('unsupported_codec')
  }
  const codedWidth = numberOrNull(video.width) ?? 0
  const codedHeight = numberOrNull(video.height) ?? 0
  if (codedWidth <= 0 || codedHeight <= 0) {
    throw new JobFailure('corrupt', 'The video is damaged: it has no picture size.')
  }

  const expected = numberOrNull(video.nb_frames)
  const read = numberOrNull(video.nb_read_packets)
  if (expected !== null && read !== null && expected > 0 && read < expected) {
    throw new JobFailure('truncated', undefined, {
      detail: `read ${read} of ${expected} video packets`,
    })
  }
  if (read === 0) throw new JobFailure('corrupt', 'The video has no frames.')

  const streamSeconds = numberOrNull(video.duration) ?? clockSeconds(video.tags?.DURATION)
  const durationSeconds =
    numberOrNull(data.format.duration) ??
    streamSeconds ??
    (await scanVideoSeconds(tools, file).catch(() => null)) ??
    Number.NaN
  if (!(durationSeconds > 0)) {
    throw new JobFailure('corrupt', 'The video is damaged: its length cannot be read.')
  }
  if (durationSeconds > maxDurationSeconds + 0.5) {
    const limit = Math.round(maxDurationSeconds)
    throw new JobFailure(
      'too_long',
      `The video is ${Math.round(durationSeconds)} seconds long; the limit is ${limit} seconds.`,
    )
  }

  const rotation = normaliseRotation(video)
  const sideways = rotation === 90 || rotation === 270
  // Non-square pixels (anamorphic DV, some screen recorders): widen to the picture people see.
  const [sarNum, sarDen] = (video.sample_aspect_ratio ?? '1:1').split(':').map(Number)
  const pixelAspect =
    sarNum !== undefined && sarDen !== undefined && sarNum > 0 && sarDen > 0 ? sarNum / sarDen : 1
  const squareWidth = Math.round(codedWidth * pixelAspect)
  return {
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    width: sideways ? codedHeight : squareWidth,
    height: sideways ? squareWidth : codedHeight,
    rotation,
    container,
    videoCodec: codec,
    audioCodec: audio?.codec_name ?? null,
    hasAudio: audio !== undefined,
    bitRate: numberOrNull(data.format.bit_rate) ?? Math.round((size * 8) / durationSeconds),
    frameRate: parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate),
    videoSeconds: streamSeconds ?? durationSeconds,
  }
}
