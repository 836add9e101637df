// Test media made with ffmpeg at test time: a few KB each, with test patterns and tones.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const FIXTURES = {
  landscape: 'landscape.mp4',
  vertical: 'vertical.mp4',
  rotated: 'rotated.mp4',
  silent: 'silent.mp4',
  short: 'short.mp4',
  anamorphic: 'anamorphic.mp4',
  recorded: 'recorded.webm',
  truncatedWebm: 'truncated.webm',
  long: 'long.mp4',
  hd: 'hd.mp4',
  corrupt: 'corrupt.mp4',
  truncated: 'truncated.mp4',
  empty: 'empty.mp4',
  random: 'random.mp4',
  image: 'image.mp4',
  text: 'text.mp4',
} as const

export type FixtureName = keyof typeof FIXTURES

async function ffmpeg(args: string[]): Promise<void> {
  await run('nice', ['-n', '10', 'ffmpeg', '-v', 'error', '-nostdin', '-y', ...args])
}

function clip(options: {
  size: string
  seconds: number
  rate?: number
  audio?: boolean
  out: string
}): string[] {
  const { size, seconds, rate = 15, audio = true, out } = options
  const video = ['-f', 'lavfi', '-i', `testsrc=size=${size}:rate=${rate}:duration=${seconds}`]
  const tone = audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`] : []
  const audioCodec = audio ? ['-c:a', 'aac', '-b:a', '32k'] : []
  return [
    ...video,
    ...tone,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '30',
    '-pix_fmt',
    'yuv420p',
    ...audioCodec,
    '-movflags',
    '+faststart',
    out,
  ]
}

// Deterministic noise, so a failing corrupt-file test fails the same way every run.
function noise(length: number, seed: string): Buffer {
  const blocks: Buffer[] = []
  for (let i = 0; blocks.length * 32 < length; i++) {
    blocks.push(createHash('sha256').update(`${seed}:${i}`).digest())
  }
  return Buffer.concat(blocks).subarray(0, length)
}

export async function createMediaFixtures(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clipstream-media-'))
  const at = (name: FixtureName): string => path.join(dir, FIXTURES[name])
  await Promise.all([
    ffmpeg(clip({ size: '320x180', seconds: 5, out: at('landscape') })),
    ffmpeg(clip({ size: '180x320', seconds: 3, out: at('vertical') })),
    ffmpeg(clip({ size: '320x180', seconds: 3, audio: false, out: at('silent') })),
    ffmpeg(clip({ size: '320x180', seconds: 2, out: at('short') })),
  ])
  await Promise.all([
    ffmpeg(clip({ size: '160x90', seconds: 26, rate: 5, audio: false, out: at('long') })),
    ffmpeg(clip({ size: '1280x720', seconds: 8, rate: 25, out: at('hd') })),
    // 160x180 stored pixels, each twice as wide as tall: a 320x180 picture.
    ffmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc=size=160x180:rate=15:duration=2', '-vf', 'setsar=2'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', at('anamorphic')],
    ]),
    // What a browser's MediaRecorder uploads: WebM (VP8 + Opus) that states no duration.
    ffmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15:duration=3'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=220:duration=3'],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus'],
      ...['-f', 'webm', '-live', '1', at('recorded')],
    ]),
    ffmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15:duration=3'],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '300k', path.join(dir, 'full.webm')],
    ]),
    // A landscape stream whose display matrix says "turn me": what phones write.
    ffmpeg(['-i', at('landscape'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', at('rotated')]),
  ])

  const landscape = await readFile(at('landscape'))
  // Cut off after 60%: the header (faststart) still promises every frame.
  await writeFile(at('truncated'), landscape.subarray(0, Math.floor(landscape.length * 0.6)))
  // WebM has no frame count to compare with: caught by the encode coming out short.
  const webm = await readFile(path.join(dir, 'full.webm'))
  await writeFile(at('truncatedWebm'), webm.subarray(0, Math.floor(webm.length * 0.6)))
  // Garbage in the middle of the media data: the header is fine, decoding is not.
  const corrupt = Buffer.from(landscape)
  const start = Math.floor(corrupt.length * 0.4)
  noise(4000, 'corrupt').copy(corrupt, start)
  await writeFile(at('corrupt'), corrupt)
  await writeFile(at('empty'), Buffer.alloc(0))
  await writeFile(at('random'), noise(4096, 'random'))
  await writeFile(at('text'), 'These are my holiday notes, not a video.\n'.repeat(50))
  const png = path.join(dir, 'picture.png')
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x64', '-frames:v', '1', png])
  await copyFile(png, at('image'))

  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export async function probeJson(file: string): Promise<ProbeOutput> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    file,
  ])
  return JSON.parse(stdout) as ProbeOutput
}

export interface ProbeOutput {
  streams: Array<{
    codec_type: string
    codec_name: string
    profile?: string
    level?: number
    width?: number
    height?: number
  }>
  format: { duration?: string; format_name: string }
}
