// What one job produces and the single ffmpeg pass that produces it: the source is decoded once
// and split into the HLS rungs, the moderation frames, the sprite's tiles and the poster; a tiny
// second pass lays the tiles out into the sprite.
import path from 'node:path'
import type { FfmpegCommandSpec, FfmpegOutput } from './ffmpeg'

export type RungName = '240p' | '480p' | '720p'

export interface Rung {
  name: RungName
  width: number
  height: number
  videoKbps: number
  audioKbps: number
}

export interface StillsPlan {
  frameIntervalSeconds: number
  frameWidth: number
  frameHeight: number
  sprite: {
    intervalSeconds: number
    columns: number
    rows: number
    tileWidth: number
    tileHeight: number
  }
  posterAtSeconds: number
}

export interface OutputPlan {
  rungs: Rung[]
  stills: StillsPlan
}

export interface SourceShape {
  width: number
  height: number
  durationSeconds: number
  frameRate: number
  hasAudio: boolean
}

const LADDER: ReadonlyArray<Omit<Rung, 'width' | 'height'> & { shortSide: number }> = [
  { name: '240p', shortSide: 240, videoKbps: 400, audioKbps: 64 },
  { name: '480p', shortSide: 480, videoKbps: 1000, audioKbps: 96 },
  { name: '720p', shortSide: 720, videoKbps: 2500, audioKbps: 128 },
]

export const SEGMENT_SECONDS = 4
// High profile, level 3.1: enough for 1280x720 (or 720x1280) at the 30 fps cap, and what every
// HLS player handles. Pinned so the master playlist's CODECS is known without probing.
export const H264_PROFILE_IDC = '6400'
export const H264_LEVEL_IDC = 31
const MAX_FRAME_RATE = 30
const FRAME_SHORT_SIDE = 320
const SPRITE_LONG_SIDE = 160
const SPRITE_MAX_TILES = 100
const SPRITE_MAX_COLUMNS = 10

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2)
}

function evenDown(value: number): number {
  return Math.max(2, Math.floor(value / 2) * 2)
}

// Scales so the short side becomes `shortSide`: "720p" of a vertical phone clip is 720x1280,
// as on the big platforms, rather than a 406x720 postage stamp.
function fitShortSide(width: number, height: number, shortSide: number): [number, number] {
  const scale = shortSide / Math.min(width, height)
  return [even(width * scale), even(height * scale)]
}

export function planLadder(width: number, height: number): Rung[] {
  const shortSide = Math.min(width, height)
  const fitting = LADDER.filter((rung) => rung.shortSide <= shortSide)
  if (fitting.length === 0) {
    // Smaller than the lowest rung: one rendition at the source's own size, never upscaled.
    const lowest = LADDER[0]
    if (lowest === undefined) return []
    const { name, videoKbps, audioKbps } = lowest
    return [{ name, videoKbps, audioKbps, width: evenDown(width), height: evenDown(height) }]
  }
  return fitting.map(({ shortSide: side, ...rest }) => {
    const [w, h] = fitShortSide(width, height, side)
    return { ...rest, width: w, height: h }
  })
}

// Moderation frames: 1 per second for short clips, 1 per 5 s from 25 s on.
export function frameIntervalFor(durationSeconds: number): number {
  return durationSeconds < 25 ? 1 : 5
}

export function planFrameTimes(durationSeconds: number): number[] {
  const interval = frameIntervalFor(durationSeconds)
  const count = Math.max(1, Math.ceil(durationSeconds / interval - 1e-6))
  return Array.from({ length: count }, (_, i) => i * interval)
}

export function planOutputs(source: SourceShape): OutputPlan {
  const { width, height, durationSeconds } = source
  const [frameWidth, frameHeight] = fitShortSide(width, height, FRAME_SHORT_SIDE)
  const spriteInterval = Math.max(1, Math.ceil(durationSeconds / SPRITE_MAX_TILES))
  const tiles = Math.max(1, Math.ceil(durationSeconds / spriteInterval - 1e-6))
  const columns = Math.min(SPRITE_MAX_COLUMNS, tiles)
  const landscape = width >= height
  const tileWidth = landscape ? SPRITE_LONG_SIDE : even((SPRITE_LONG_SIDE * width) / height)
  const tileHeight = landscape ? even((SPRITE_LONG_SIDE * height) / width) : SPRITE_LONG_SIDE
  return {
    rungs: planLadder(width, height),
    stills: {
      frameIntervalSeconds: frameIntervalFor(durationSeconds),
      frameWidth,
      frameHeight,
      sprite: {
        intervalSeconds: spriteInterval,
        columns,
        rows: Math.ceil(tiles / columns),
        tileWidth,
        tileHeight,
      },
      posterAtSeconds: Math.min(1, durationSeconds / 2),
    },
  }
}

export function rungOutputs(rungs: Rung[], source: SourceShape, workDir: string): FfmpegOutput[] {
  return rungs.map((rung, i) => {
    const dir = path.join(workDir, 'hls', rung.name)
    const audio = source.hasAudio
      ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', `${rung.audioKbps}k`, '-ac', '2']
      : ['-an']
    return {
      path: path.join(dir, 'index.m3u8'),
      options: [
        '-map',
        `[v${i}]`,
        ...audio,
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-profile:v',
        'high',
        '-level:v',
        '3.1',
        '-crf',
        '23',
        '-maxrate',
        `${rung.videoKbps}k`,
        '-bufsize',
        `${rung.videoKbps * 2}k`,
        // A keyframe every segment boundary so every segment starts cleanly.
        '-force_key_frames',
        `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
        '-f',
        'hls',
        '-hls_time',
        String(SEGMENT_SECONDS),
        '-hls_playlist_type',
        'vod',
        '-hls_flags',
        'independent_segments',
        '-hls_segment_filename',
        path.join(dir, 'seg_%03d.ts'),
      ],
    }
  })
}

function ladderGraph(rungs: Rung[], source: SourceShape, extraBranches: number): string {
  const fpsCap = source.frameRate > MAX_FRAME_RATE + 0.5 ? `fps=${MAX_FRAME_RATE},` : ''
  const branches = rungs.length + extraBranches
  const labels = Array.from({ length: branches }, (_, i) => `[b${i}]`).join('')
  const chains = rungs.map(
    (rung, i) => `[b${i}]scale=${rung.width}:${rung.height},setsar=1,format=yuv420p[v${i}]`,
  )
  return [`[0:v:0]${fpsCap}split=${branches}${labels}`, ...chains].join(';')
}

const DECODE_OPTIONS = ['-nostdin', '-hide_banner', '-xerror']
const JPEG = ['-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '4']
// Inside the job's work directory; never uploaded.
export const SPRITE_TILES_DIR = 'sprite-tiles'
// ffmpeg's progress clock is the furthest end time of any output. A still taken every 5 s lasts
// 5 s, so a 30 s clip reported 5 s (17%) from its first moment and sat there until the encode
// caught up. A millisecond clock makes each still end where it starts; passthrough keeps
// ffmpeg from filling the new rate with copies. (`-vsync`, not 5.1's `-fps_mode`: the
// npm-shipped ffmpeg is older.)
const STILLS_CLOCK = ['-vsync', 'passthrough', '-r', '1000']

// The ladder alone: what the benchmark compares the service against.
export function ladderCommand(
  input: string,
  source: SourceShape,
  rungs: Rung[],
  workDir: string,
): FfmpegCommandSpec {
  return {
    input,
    inputOptions: DECODE_OPTIONS,
    filterGraph: ladderGraph(rungs, source, 0),
    outputs: rungOutputs(rungs, source, workDir),
  }
}

// The whole job in one decode: ladder plus frames, sprite and poster branches.
export function transcodeCommand(
  input: string,
  source: SourceShape,
  plan: OutputPlan,
  workDir: string,
): FfmpegCommandSpec {
  const { rungs, stills } = plan
  const n = rungs.length
  const top = rungs[rungs.length - 1] ?? { width: stills.frameWidth, height: stills.frameHeight }
  const { sprite } = stills
  const graph = [
    ladderGraph(rungs, source, 3),
    // round=up makes frame k the first source frame at or after k x interval, and keeps the last.
    `[b${n}]fps=1/${stills.frameIntervalSeconds}:round=up,scale=${stills.frameWidth}:${stills.frameHeight}[frames]`,
    // No `tile` here: it emits its one picture at the end of the input, and ffmpeg prints no
    // progress at all until every output has received a frame, so the job sat at its first
    // percent until the encode was over. spriteCommand tiles the pictures afterwards.
    `[b${n + 1}]fps=1/${sprite.intervalSeconds}:round=up,scale=${sprite.tileWidth}:${sprite.tileHeight}[tiles]`,
    // Pick frames before scaling: a branch that scaled every frame only for `-frames:v 1` to
    // throw them away cost ~20% more CPU on a 1080p source. The first frame goes out at once and
    // the poster frame overwrites it (`-update 1`): an output still waiting for its first frame
    // holds back ffmpeg's progress reports, here for the first second of the source.
    `[b${n + 2}]select='eq(n,0)+gte(t,${stills.posterAtSeconds})',trim=end_frame=2,` +
      `scale=${top.width}:${top.height}[poster]`,
  ].join(';')
  return {
    input,
    inputOptions: DECODE_OPTIONS,
    filterGraph: graph,
    outputs: [
      ...rungOutputs(rungs, source, workDir),
      {
        path: path.join(workDir, 'frames', '%04d.jpg'),
        options: ['-map', '[frames]', ...JPEG, ...STILLS_CLOCK, '-f', 'image2'],
      },
      {
        // Lossless, so the sprite is compressed once, as before.
        path: path.join(workDir, SPRITE_TILES_DIR, '%04d.png'),
        options: ['-map', '[tiles]', '-c:v', 'png', ...STILLS_CLOCK, '-f', 'image2'],
      },
      {
        path: path.join(workDir, 'poster.jpg'),
        options: ['-map', '[poster]', ...JPEG, '-update', '1'],
      },
    ],
  }
}

// The sprite from the tiles the main pass wrote: at most 100 small pictures, well under a second.
export function spriteCommand(workDir: string, sprite: StillsPlan['sprite']): FfmpegCommandSpec {
  return {
    input: path.join(workDir, SPRITE_TILES_DIR, '%04d.png'),
    inputOptions: [...DECODE_OPTIONS, '-f', 'image2', '-framerate', '1'],
    filterGraph: `[0:v]tile=${sprite.columns}x${sprite.rows}[sprite]`,
    outputs: [
      {
        path: path.join(workDir, 'sprite.jpg'),
        options: ['-map', '[sprite]', ...JPEG, '-frames:v', '1', '-update', '1'],
      },
    ],
  }
}
