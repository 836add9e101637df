import { api } from '../../api/client'
import { read, RequestError } from '@clipstream/frontend-kit/errors'
import type { UploadPlan, UploadRequest } from '../../api/types'
import { sendPartWithXhr } from './partTransport'
import type { PartTransfer, SendPart } from './partTransport'
import { fingerprintOf, resumeStore } from './resumeStore'
import { initialUpload, partsToSend, uploadReducer } from './uploadMachine'
import type { UploadEvent, UploadState } from './uploadMachine'

export type UploadMeta = Omit<UploadRequest, 'fileName' | 'sizeBytes' | 'contentType'>

type Deps = { sendPart: SendPart; now: () => number; store: typeof resumeStore }

const defaultDeps: Deps = { sendPart: sendPartWithXhr, now: () => Date.now(), store: resumeStore }

// Runs one file's upload: turns the machine's state into requests and their
// outcomes back into events.
export class UploadSession {
  private state: UploadState = initialUpload
  private listeners = new Set<() => void>()
  private transfers = new Map<number, PartTransfer>()
  private timers = new Map<number, ReturnType<typeof setTimeout>>()
  private planning = false
  private refreshing = false
  private completing = false
  // Events raised while acting on a state are acted on after it, never inside it.
  private acting = false
  private actAgain = false
  private readonly deps: Deps
  private readonly fingerprint: string

  constructor(
    private readonly file: File,
    private readonly contentType: string,
    private readonly meta: UploadMeta,
    deps: Partial<Deps> = {},
  ) {
    this.deps = { ...defaultDeps, ...deps }
    this.fingerprint = fingerprintOf(file)
  }

  getState = () => this.state

  subscribe = (listener: () => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  start() {
    this.dispatch({ type: 'prepare', fileSize: this.file.size })
  }
  pause() {
    this.dispatch({ type: 'pause' })
  }
  resume() {
    this.dispatch({ type: 'resume' })
  }
  retry() {
    this.dispatch({ type: 'retry' })
  }

  async cancel() {
    const videoId = this.state.videoId
    this.dispatch({ type: 'cancel' })
    this.deps.store.forget(this.fingerprint)
    if (videoId) await api.uploads[':id'].$delete({ param: { id: videoId } }).catch(() => undefined)
  }

  private dispatch(event: UploadEvent) {
    const before = this.state
    this.state = uploadReducer(before, event)
    if (this.state !== before) {
      for (const listener of this.listeners) listener()
    }
    if (this.acting) {
      this.actAgain = true
      return
    }
    this.acting = true
    try {
      do {
        this.actAgain = false
        this.act()
      } while (this.actAgain)
    } finally {
      this.acting = false
    }
  }

  // Side effects that follow from the current state.
  private act() {
    const { phase } = this.state
    if (phase === 'preparing') void this.plan()
    if (phase === 'refreshing') void this.refreshPlan()
    if (phase === 'completing') void this.complete()
    if (phase !== 'uploading' && phase !== 'refreshing') this.abortAll()
    if (phase === 'paused' || phase === 'failed' || phase === 'cancelled') this.clearTimers()
    if (phase === 'uploading') {
      this.scheduleRetries()
      for (const part of partsToSend(this.state)) this.send(part.partNumber)
    }
  }

  private async plan() {
    if (this.planning) return
    this.planning = true
    try {
      const plan = await this.findOrCreatePlan()
      this.planning = false
      this.dispatch({ type: 'planned', plan })
    } catch (err) {
      this.planning = false
      this.dispatch(failure(err))
    }
  }

  private async findOrCreatePlan(): Promise<UploadPlan> {
    const known = this.deps.store.find(this.fingerprint)
    if (known) {
      try {
        return (await read(api.uploads[':id'].$get({ param: { id: known } }))).upload
      } catch (err) {
        // Gone, finished or not ours any more: start a fresh upload.
        if (!(err instanceof RequestError) || err.status === 0 || err.status >= 500) throw err
        this.deps.store.forget(this.fingerprint)
      }
    }
    const created = await read(
      api.uploads.$post({
        json: {
          ...this.meta,
          fileName: this.file.name,
          sizeBytes: this.file.size,
          contentType: this.contentType,
        },
      }),
    )
    this.deps.store.save(this.fingerprint, created.upload.videoId)
    return created.upload
  }

  private async refreshPlan() {
    const videoId = this.state.videoId
    if (this.refreshing || !videoId) return
    this.refreshing = true
    try {
      const { upload } = await read(api.uploads[':id'].$get({ param: { id: videoId } }))
      this.refreshing = false
      this.dispatch({ type: 'planned', plan: upload })
    } catch (err) {
      this.refreshing = false
      this.dispatch(failure(err))
    }
  }

  private async complete() {
    const videoId = this.state.videoId
    if (this.completing || !videoId) return
    this.completing = true
    try {
      const { video } = await read(api.uploads[':id'].complete.$post({ param: { id: videoId } }))
      this.deps.store.forget(this.fingerprint)
      this.dispatch({ type: 'completed', videoId: video?.id ?? videoId })
    } catch (err) {
      this.dispatch(failure(err))
    } finally {
      this.completing = false
    }
  }

  private send(partNumber: number) {
    const part = this.state.parts.find((p) => p.partNumber === partNumber)
    if (!part || part.status !== 'pending') return
    this.dispatch({ type: 'partStarted', partNumber })
    const transfer = this.deps.sendPart(part.url, this.file.slice(part.start, part.end), (loaded) =>
      this.dispatch({ type: 'partProgress', partNumber, loaded }),
    )
    this.transfers.set(partNumber, transfer)
    void transfer.result.then((outcome) => {
      // An aborted transfer (pause, cancel) no longer speaks for its part.
      if (this.transfers.get(partNumber) !== transfer) return
      this.transfers.delete(partNumber)
      this.dispatch(
        outcome.ok
          ? { type: 'partDone', partNumber }
          : {
              type: 'partFailed',
              partNumber,
              kind: outcome.kind,
              message: outcome.message,
              now: this.deps.now(),
            },
      )
    })
  }

  private scheduleRetries() {
    for (const part of this.state.parts) {
      if (part.status !== 'waiting' || part.retryAt === null || this.timers.has(part.partNumber))
        continue
      const wait = Math.max(0, part.retryAt - this.deps.now())
      const timer = setTimeout(() => {
        this.timers.delete(part.partNumber)
        this.dispatch({ type: 'retryDue', partNumber: part.partNumber })
      }, wait)
      this.timers.set(part.partNumber, timer)
    }
  }

  private abortAll() {
    for (const [partNumber, transfer] of this.transfers) {
      this.transfers.delete(partNumber)
      transfer.abort()
    }
  }

  private clearTimers() {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }
}

// A refusal of the request itself (not a video, too large, over the upload limit) will be
// refused again; a network error, a 5xx, a timeout or a rate limit may pass next time.
export function failure(err: unknown): { type: 'failed'; message: string; retryable: boolean } {
  const message = err instanceof Error ? err.message : String(err)
  const refused =
    err instanceof RequestError &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 408 &&
    err.status !== 429
  return { type: 'failed', message, retryable: !refused }
}
