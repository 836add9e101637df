// Everything the service reads from its environment, read once at start-up and passed down
// explicitly so tests can run several differently configured servers in one process.
import { tmpdir } from 'node:os'

export interface ServiceConfig {
  port: number
  host: string
  token: string | null
  concurrency: number
  maxSourceBytes: number
  workRoot: string
  ffmpegPath: string | null
  ffprobePath: string | null
  frameClassifierEnabled: boolean
  jobTimeoutMs: number
}

const GIB = 1024 ** 3

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback
  const parsed = Number(value)
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback
}

function port(value: string | undefined, fallback: number): number {
  const parsed = Number(value)
  // 0 asks the OS for a free port (tests and benchmarks).
  return value !== undefined && value.trim() !== '' && Number.isInteger(parsed) && parsed >= 0
    ? parsed
    : fallback
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    port: port(env.PORT, 8788),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    token: nonEmpty(env.TRANSCODER_TOKEN),
    concurrency: positiveInt(env.TRANSCODER_CONCURRENCY, 1),
    maxSourceBytes: positiveInt(env.MAX_SOURCE_BYTES, 2 * GIB),
    workRoot: nonEmpty(env.TMPDIR) ?? tmpdir(),
    ffmpegPath: nonEmpty(env.FFMPEG_PATH),
    ffprobePath: nonEmpty(env.FFPROBE_PATH),
    // Lets a small deployment (or a test) run without the ~250 MB model; videos then go to review.
    frameClassifierEnabled: env.FRAME_CLASSIFIER !== 'off',
    // A wedged ffmpeg must not hold a slot forever; the job then fails as retryable.
    jobTimeoutMs: positiveInt(env.JOB_TIMEOUT_SECONDS, 30 * 60) * 1000,
  }
}
