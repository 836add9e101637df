// The only module that talks to fluent-ffmpeg (its upstream is archived, so it stays replaceable):
// it picks the binaries, turns a command's events into a promise and clamps progress to 0-100.
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import ffmpeg from 'fluent-ffmpeg'
import type { FfprobeData } from 'fluent-ffmpeg'

export type { FfprobeData, FfprobeStream } from 'fluent-ffmpeg'

export interface MediaTools {
  ffmpeg: string
  ffprobe: string
}

export interface FfmpegOutput {
  path: string
  options: string[]
}

export interface FfmpegCommandSpec {
  input: string
  inputOptions: string[]
  filterGraph?: string
  outputs: FfmpegOutput[]
}

export interface RunOptions {
  // Used to turn ffmpeg's timemark into a percentage; ffmpeg's own estimate can exceed 100.
  durationSeconds?: number
  onProgress?: (percent: number) => void
  signal?: AbortSignal
}

export class FfmpegError extends Error {
  readonly stderr: string
  constructor(message: string, stderr: string) {
    super(message)
    this.name = 'FfmpegError'
    this.stderr = stderr
  }
}

const require = createRequire(import.meta.url)

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue
    const candidate = path.join(dir, name)
    if (isExecutable(candidate)) return candidate
  }
  return null
}

function shippedBinary(packageName: string, binary: string): string | null {
  try {
    const candidate = path.join(
      path.dirname(require.resolve(`${packageName}/package.json`)),
      binary,
    )
    return isExecutable(candidate) ? candidate : null
  } catch {
    return null
  }
}

// Explicit path, then the system binary (newer, and the one production uses), then npm's copy so
// `npm start` works on a machine without ffmpeg.
export function resolveMediaTools(overrides: {
  ffmpegPath: string | null
  ffprobePath: string | null
}): MediaTools {
  const ffmpegPath =
    overrides.ffmpegPath ??
    findOnPath('ffmpeg') ??
    shippedBinary('@ffmpeg-installer/linux-x64', 'ffmpeg')
  const ffprobePath =
    overrides.ffprobePath ??
    findOnPath('ffprobe') ??
    shippedBinary('@ffprobe-installer/linux-x64', 'ffprobe')
  if (ffmpegPath === null || ffprobePath === null) {
    throw new Error('No ffmpeg/ffprobe found: install ffmpeg or set FFMPEG_PATH and FFPROBE_PATH')
  }
  return { ffmpeg: ffmpegPath, ffprobe: ffprobePath }
}

export async function readFfmpegVersion(tools: MediaTools): Promise<string> {
  const { stdout } = await promisify(execFile)(tools.ffmpeg, ['-hide_banner', '-version'])
  const firstLine = stdout.split('\n')[0] ?? ''
  return /ffmpeg version (\S+)/.exec(firstLine)?.[1] ?? firstLine
}

function timemarkSeconds(timemark: string | undefined): number | null {
  const match = /^(-?\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(timemark ?? '')
  if (match === null) return null
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])
}

export function clampPercent(value: number): number {
  if (!Number.isFinite(value)) return 0
  return Math.min(100, Math.max(0, value))
}

// The exact argument list fluent-ffmpeg runs for a spec; the benchmark runs it without the wrapper.
export function commandLineArgs(spec: FfmpegCommandSpec): string[] {
  const args = [...spec.inputOptions, '-i', spec.input, '-y']
  if (spec.filterGraph !== undefined) args.push('-filter_complex', spec.filterGraph)
  for (const output of spec.outputs) args.push(...output.options, output.path)
  return args
}

export function runFfmpeg(
  tools: MediaTools,
  spec: FfmpegCommandSpec,
  options: RunOptions = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const command = ffmpeg({ stdoutLines: 0 }).setFfmpegPath(tools.ffmpeg)
    command.input(spec.input).inputOptions(spec.inputOptions)
    if (spec.filterGraph !== undefined) command.complexFilter(spec.filterGraph)
    for (const output of spec.outputs) command.output(output.path).outputOptions(output.options)

    let lastPercent = 0
    const onAbort = (): void => {
      command.kill('SIGKILL')
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const settle = (): void => options.signal?.removeEventListener('abort', onAbort)

    command.on('progress', (progress: { timemark?: string }) => {
      const seconds = timemarkSeconds(progress.timemark)
      const duration = options.durationSeconds
      if (seconds === null || duration === undefined || duration <= 0) return
      // ffmpeg's clock can run past the probed duration and jump back between outputs.
      lastPercent = Math.max(lastPercent, clampPercent((seconds / duration) * 100))
      options.onProgress?.(lastPercent)
    })
    command.on('end', () => {
      settle()
      options.onProgress?.(100)
      resolve()
    })
    command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
      settle()
      reject(new FfmpegError(error.message, stderr ?? ''))
    })
    if (options.signal?.aborted === true) {
      settle()
      reject(new FfmpegError('aborted', ''))
      return
    }
    command.run()
  })
}

export function probeMedia(
  tools: MediaTools,
  file: string,
  extraOptions: string[] = [],
): Promise<FfprobeData> {
  return new Promise((resolve, reject) => {
    ffmpeg(file)
      .setFfprobePath(tools.ffprobe)
      .ffprobe(extraOptions, (error: unknown, data: FfprobeData) => {
        if (error !== null && error !== undefined) {
          const message = error instanceof Error ? error.message : String(error)
          reject(new FfmpegError(message, message))
          return
        }
        resolve(data)
      })
  })
}

// Seconds from the first to the end of the last video packet, read from packet headers only.
// For files that state no duration at all, like WebM recorded by a browser's MediaRecorder.
export async function scanVideoSeconds(tools: MediaTools, file: string): Promise<number | null> {
  const { stdout } = await promisify(execFile)(
    tools.ffprobe,
    [
      ...['-v', 'error', '-select_streams', 'v:0'],
      ...['-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  )
  let first = Number.POSITIVE_INFINITY
  let end = Number.NEGATIVE_INFINITY
  for (const line of stdout.split('\n')) {
    const [pts, duration] = line.split(',').map(Number)
    if (pts === undefined || !Number.isFinite(pts)) continue
    first = Math.min(first, pts)
    end = Math.max(end, pts + (duration !== undefined && Number.isFinite(duration) ? duration : 0))
  }
  return end > first ? end - first : null
}
