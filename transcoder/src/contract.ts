// The transcoder's HTTP contract with the Worker: request validation and callback shapes.
import type { FailureCode } from './jobs/failure'
import type { ClassifierIdentity, FrameScores } from './frames/classifier'
import type { SourceProbe } from './media/inspect'
import type { Rendition } from './media/renditions'

export interface JobRequest {
  jobId: string
  videoId: string
  sourceUrl: string
  outputUrl: string
  callbackUrl: string
  callbackToken: string
  limits: { maxDurationSeconds: number }
}

export type JobState = 'queued' | 'running' | 'completed' | 'failed'
export type JobStage =
  | 'queued'
  | 'downloading'
  | 'probing'
  | 'transcoding'
  | 'frames'
  | 'classifying'
  | 'uploading'
  | 'done'

export interface JobResult {
  probe: SourceProbe
  master: string
  renditions: Rendition[]
  poster: string
  sprite: {
    path: string
    columns: number
    rows: number
    intervalSeconds: number
    tileWidth: number
    tileHeight: number
  }
  frames: Array<{ path: string; timeSeconds: number; scores: FrameScores | null }>
  frameClassifier: ClassifierIdentity | null
  bytes: number
  elapsedMs: number
}

export type CallbackBody =
  | { jobId: string; videoId: string; type: 'progress'; stage: JobStage; percent: number }
  | { jobId: string; videoId: string; type: 'completed'; result: JobResult }
  | {
      jobId: string
      videoId: string
      type: 'failed'
      code: FailureCode
      reason: string
      retryable: boolean
    }

export const DEFAULT_MAX_DURATION_SECONDS = 180

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false
  try {
    const { protocol } = new URL(value.replaceAll('{path}', 'x'))
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

// Returns the parsed request or a list of problems for a 400.
export function parseJobRequest(body: unknown): JobRequest | { problems: string[] } {
  const problems: string[] = []
  if (typeof body !== 'object' || body === null) return { problems: ['body must be a JSON object'] }
  const field = (name: string): unknown => (body as Record<string, unknown>)[name]
  const jobId = field('jobId')
  const videoId = field('videoId')
  const callbackToken = field('callbackToken')
  if (typeof jobId !== 'string' || !ID_PATTERN.test(jobId))
    problems.push('jobId: 1-128 of [A-Za-z0-9_.:-]')
  if (typeof videoId !== 'string' || videoId === '') problems.push('videoId: non-empty string')
  for (const name of ['sourceUrl', 'outputUrl', 'callbackUrl']) {
    if (!isHttpUrl(field(name))) problems.push(`${name}: http(s) URL`)
  }
  const outputUrl = field('outputUrl')
  if (typeof outputUrl === 'string' && !outputUrl.includes('{path}')) {
    problems.push('outputUrl: must contain the literal {path}')
  }
  if (typeof callbackToken !== 'string') problems.push('callbackToken: string')
  const limits = field('limits')
  let maxDurationSeconds = DEFAULT_MAX_DURATION_SECONDS
  if (limits !== undefined && limits !== null) {
    const value =
      typeof limits === 'object' ? (limits as Record<string, unknown>).maxDurationSeconds : 0
    if (value !== undefined) {
      if (typeof value !== 'number' || !(value > 0)) problems.push('limits.maxDurationSeconds: > 0')
      else maxDurationSeconds = value
    }
  }
  if (problems.length > 0) return { problems }
  return {
    jobId: String(jobId),
    videoId: String(videoId),
    sourceUrl: String(field('sourceUrl')),
    outputUrl: String(outputUrl),
    callbackUrl: String(field('callbackUrl')),
    callbackToken: String(callbackToken),
    limits: { maxDurationSeconds },
  }
}
