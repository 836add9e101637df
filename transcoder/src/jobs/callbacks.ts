// Tells the Worker how a job is going. Final callbacks are retried harder than progress: a lost
// progress update is harmless, a lost result leaves the video waiting for the sweeper.
import type { CallbackBody, JobStage } from '../contract'
import type { Logger } from '../log'
import { errorMessage } from '../log'
import { discardBody, fetchWithRetry } from './http'

export interface CallbackTarget {
  jobId: string
  videoId: string
  callbackUrl: string
  callbackToken: string
}

export async function sendCallback(
  target: CallbackTarget,
  body: CallbackBody,
  logger: Logger,
  attempts = 5,
): Promise<boolean> {
  try {
    const response = await fetchWithRetry(
      target.callbackUrl,
      () => ({
        method: 'POST',
        headers: {
          authorization: `Bearer ${target.callbackToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }),
      { attempts, baseDelayMs: 500 },
    )
    await discardBody(response)
    if (!response.ok) {
      logger.warn('callback_refused', {
        jobId: target.jobId,
        type: body.type,
        status: response.status,
      })
    }
    return response.ok
  } catch (error) {
    logger.warn('callback_failed', {
      jobId: target.jobId,
      type: body.type,
      error: errorMessage(error),
    })
    return false
  }
}

// Overall percent from a stage and the fraction done within it.
const STAGE_SPANS: Record<JobStage, [number, number]> = {
  queued: [0, 0],
  downloading: [0, 10],
  probing: [10, 12],
  transcoding: [12, 80],
  frames: [80, 81],
  classifying: [81, 90],
  uploading: [90, 99],
  done: [100, 100],
}

const MIN_INTERVAL_MS = 1000

// Keeps percent monotonic and sends at most about one update a second, one request at a time;
// updates that arrive while a request is in flight collapse into the latest one.
export class ProgressReporter {
  stage: JobStage = 'queued'
  percent = 0
  private lastSentAt = 0
  private lastSentKey = ''
  private inFlight: Promise<void> | null = null
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    private readonly target: CallbackTarget,
    private readonly logger: Logger,
  ) {}

  update(stage: JobStage, fraction: number): void {
    if (this.closed) return
    const [from, to] = STAGE_SPANS[stage]
    const within = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0))
    this.stage = stage
    this.percent = Math.max(this.percent, Math.min(100, Math.round(from + (to - from) * within)))
    this.schedule()
  }

  private schedule(): void {
    if (this.closed || this.timer !== null || this.inFlight !== null) return
    const wait = Math.max(0, this.lastSentAt + MIN_INTERVAL_MS - Date.now())
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush()
    }, wait)
  }

  private flush(): void {
    const key = `${this.stage}:${this.percent}`
    if (key === this.lastSentKey) return
    this.lastSentKey = key
    this.lastSentAt = Date.now()
    const body: CallbackBody = {
      jobId: this.target.jobId,
      videoId: this.target.videoId,
      type: 'progress',
      stage: this.stage,
      percent: this.percent,
    }
    this.inFlight = sendCallback(this.target, body, this.logger, 2).then(() => {
      this.inFlight = null
      if (`${this.stage}:${this.percent}` !== this.lastSentKey) this.schedule()
    })
  }

  // Stops further updates and waits for the one in flight, so the final callback comes last.
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.closed = true
    await this.inFlight
  }
}
