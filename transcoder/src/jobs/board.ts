// Every job this process knows about, the FIFO of jobs waiting for a slot, and idempotency by job
// id: a repeated POST never starts a second run of a job that is queued, running or finished.
import type { CallbackBody, JobRequest, JobStage, JobState } from '../contract'
import type { FrameClassifier } from '../frames/classifier'
import type { Logger } from '../log'
import type { MediaTools } from '../media/ffmpeg'
import { ProgressReporter, sendCallback } from './callbacks'
import { asJobFailure } from './failure'
import { runTranscodeJob } from './transcode'

export interface JobView {
  jobId: string
  state: JobState
  stage: JobStage
  percent: number
}

interface JobRecord {
  request: JobRequest
  state: JobState
  progress: ProgressReporter
  controller: AbortController
  final: CallbackBody | null
  retryable: boolean
  settled: Promise<void> | null
}

export interface BoardOptions {
  tools: MediaTools
  classifier: FrameClassifier
  logger: Logger
  concurrency: number
  workRoot: string
  maxSourceBytes: number
  jobTimeoutMs: number
}

// Finished jobs are remembered so a re-POST re-sends the result; old ones are forgotten.
const FINISHED_JOBS_KEPT = 1000

export class JobBoard {
  private readonly jobs = new Map<string, JobRecord>()
  private readonly waiting: JobRecord[] = []
  private running = 0
  private closing = false

  constructor(private readonly options: BoardOptions) {}

  get(jobId: string): JobView | null {
    const record = this.jobs.get(jobId)
    return record === undefined ? null : this.view(record)
  }

  submit(request: JobRequest): JobView {
    const existing = this.jobs.get(request.jobId)
    if (existing !== undefined) {
      const finished = existing.final !== null
      // A retryable failure (source not reachable, storage error) is worth a fresh run.
      if (!finished || !existing.retryable) {
        if (finished) this.resendFinal(existing, request)
        this.options.logger.info('job_repeated', { jobId: request.jobId, state: existing.state })
        return this.view(existing)
      }
    }
    const record: JobRecord = {
      request,
      state: 'queued',
      progress: new ProgressReporter(request, this.options.logger),
      controller: new AbortController(),
      final: null,
      retryable: false,
      settled: null,
    }
    this.jobs.delete(request.jobId)
    this.jobs.set(request.jobId, record)
    this.waiting.push(record)
    this.options.logger.info('job_queued', { jobId: request.jobId, videoId: request.videoId })
    this.pump()
    return this.view(record)
  }

  // Stops taking work and kills what runs. No failure callback is sent: the job is not the
  // creator's fault, and the Worker's sweeper re-POSTs it to the next instance.
  async close(): Promise<void> {
    this.closing = true
    for (const record of this.waiting.splice(0)) this.jobs.delete(record.request.jobId)
    const running = [...this.jobs.values()].filter((record) => record.state === 'running')
    for (const record of running) record.controller.abort(new Error('transcoder shutting down'))
    await Promise.all(running.map((record) => record.settled))
  }

  private view(record: JobRecord): JobView {
    return {
      jobId: record.request.jobId,
      state: record.state,
      stage: record.progress.stage,
      percent: record.progress.percent,
    }
  }

  private resendFinal(record: JobRecord, request: JobRequest): void {
    const { final } = record
    if (final === null) return
    // The new POST may carry a fresh callback token; use it.
    void sendCallback(request, final, this.options.logger)
  }

  private pump(): void {
    while (!this.closing && this.running < this.options.concurrency) {
      const next = this.waiting.shift()
      if (next === undefined) return
      this.running++
      next.settled = this.run(next).finally(() => {
        this.running--
        this.forgetOldJobs()
        this.pump()
      })
    }
  }

  private async run(record: JobRecord): Promise<void> {
    const { request, progress, controller } = record
    const { logger } = this.options
    record.state = 'running'
    logger.info('job_started', { jobId: request.jobId, videoId: request.videoId })
    let final: CallbackBody
    try {
      const result = await runTranscodeJob(request, {
        tools: this.options.tools,
        classifier: this.options.classifier,
        workRoot: this.options.workRoot,
        maxSourceBytes: this.options.maxSourceBytes,
        progress,
        signal: AbortSignal.any([
          controller.signal,
          AbortSignal.timeout(this.options.jobTimeoutMs),
        ]),
      })
      final = { jobId: request.jobId, videoId: request.videoId, type: 'completed', result }
      record.state = 'completed'
      logger.info('job_completed', {
        jobId: request.jobId,
        elapsedMs: result.elapsedMs,
        bytes: result.bytes,
        renditions: result.renditions.map((rendition) => rendition.name),
      })
    } catch (error) {
      await progress.close()
      // Shutdown, not a timeout: leave the job to the next instance.
      if (controller.signal.aborted) {
        this.jobs.delete(request.jobId)
        logger.warn('job_abandoned', { jobId: request.jobId })
        return
      }
      const failure = asJobFailure(error)
      final = {
        jobId: request.jobId,
        videoId: request.videoId,
        type: 'failed',
        code: failure.code,
        reason: failure.reason,
        retryable: failure.retryable,
      }
      record.state = 'failed'
      record.retryable = failure.retryable
      const log = failure.code === 'internal' ? logger.error : logger.info
      log('job_failed', { jobId: request.jobId, code: failure.code, detail: failure.message })
    }
    await progress.close()
    record.final = final
    await sendCallback(request, final, logger)
  }

  private forgetOldJobs(): void {
    let excess = this.jobs.size - FINISHED_JOBS_KEPT
    for (const [jobId, record] of this.jobs) {
      if (excess <= 0) return
      if (record.final !== null) {
        this.jobs.delete(jobId)
        excess--
      }
    }
  }
}
