import type { UploadPlan } from '../../api/types'

// The upload as a pure state machine: every network outcome is an event, and
// what to send next is read off the state. The session (uploadSession.ts) does
// the I/O; this file decides.

export const MAX_AUTO_RETRIES = 5
export const PARALLEL_PARTS = 3

export type PartStatus = 'pending' | 'sending' | 'waiting' | 'done'

export type Part = {
  partNumber: number
  start: number
  end: number
  url: string
  status: PartStatus
  loaded: number
  // Failed attempts in a row; reset by a manual retry.
  attempts: number
  retryAt: number | null
}

export type UploadPhase =
  | 'idle'
  | 'preparing'
  | 'uploading'
  | 'paused'
  // A signed URL expired: a fresh plan is being fetched before going on.
  | 'refreshing'
  | 'completing'
  | 'processing'
  | 'failed'
  | 'cancelled'

export type UploadState = {
  phase: UploadPhase
  videoId: string | null
  fileSize: number
  parts: Part[]
  error: string | null
  // False when asking again cannot help (the server refused the file itself): the
  // creator is offered another file instead of Retry.
  retryable: boolean
  // Parts that were already on the server when the plan arrived (resume).
  resumedParts: number
}

export type FailureKind = 'network' | 'server' | 'expired' | 'rejected'

export type UploadEvent =
  | { type: 'prepare'; fileSize: number }
  | { type: 'planned'; plan: UploadPlan }
  | { type: 'partStarted'; partNumber: number }
  | { type: 'partProgress'; partNumber: number; loaded: number }
  | { type: 'partDone'; partNumber: number }
  | { type: 'partFailed'; partNumber: number; kind: FailureKind; message: string; now: number }
  | { type: 'retryDue'; partNumber: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'retry' }
  | { type: 'completed'; videoId: string }
  | { type: 'failed'; message: string; retryable?: boolean }
  | { type: 'cancel' }

export const initialUpload: UploadState = {
  phase: 'idle',
  videoId: null,
  fileSize: 0,
  parts: [],
  error: null,
  retryable: true,
  resumedParts: 0,
}

// 1 s, 2 s, 4 s … capped at 30 s.
export function retryDelay(attempts: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1))
}

const size = (p: Part) => p.end - p.start

function partsFromPlan(plan: UploadPlan, fileSize: number, previous: Part[]): Part[] {
  const uploaded = new Set(plan.uploadedParts.map((p) => p.partNumber))
  return plan.parts.map(({ partNumber, url }) => {
    const start = (partNumber - 1) * plan.partSize
    const end = Math.min(fileSize, start + plan.partSize)
    const before = previous.find((p) => p.partNumber === partNumber)
    if (uploaded.has(partNumber) || before?.status === 'done') {
      return {
        partNumber,
        start,
        end,
        url,
        status: 'done',
        loaded: end - start,
        attempts: 0,
        retryAt: null,
      }
    }
    // Parts in flight carry on with the URL they started with.
    const keep = before?.status === 'waiting' || before?.status === 'sending'
    return {
      partNumber,
      start,
      end,
      url,
      status: keep ? before.status : 'pending',
      loaded: keep ? before.loaded : 0,
      attempts: before?.attempts ?? 0,
      retryAt: before?.retryAt ?? null,
    }
  })
}

const allDone = (parts: Part[]) => parts.length > 0 && parts.every((p) => p.status === 'done')

function updatePart(state: UploadState, partNumber: number, change: (p: Part) => Part) {
  return state.parts.map((p) => (p.partNumber === partNumber ? change(p) : p))
}

// Parts in flight are abandoned on pause or expiry; they start over from byte 0.
const dropInFlight = (parts: Part[]): Part[] =>
  parts.map((p) => (p.status === 'sending' ? { ...p, status: 'pending', loaded: 0 } : p))

export function uploadReducer(state: UploadState, event: UploadEvent): UploadState {
  switch (event.type) {
    case 'prepare':
      return { ...initialUpload, phase: 'preparing', fileSize: event.fileSize }

    case 'planned': {
      if (!['preparing', 'refreshing', 'paused', 'uploading'].includes(state.phase)) return state
      const parts = partsFromPlan(event.plan, state.fileSize, state.parts)
      const resumedParts =
        state.phase === 'preparing'
          ? parts.filter((p) => p.status === 'done').length
          : state.resumedParts
      const phase =
        state.phase === 'paused' ? 'paused' : allDone(parts) ? 'completing' : 'uploading'
      return { ...state, phase, videoId: event.plan.videoId, parts, resumedParts, error: null }
    }

    case 'partStarted':
      if (state.phase !== 'uploading') return state
      return {
        ...state,
        parts: updatePart(state, event.partNumber, (p) =>
          p.status === 'pending' ? { ...p, status: 'sending', loaded: 0 } : p,
        ),
      }

    case 'partProgress':
      return {
        ...state,
        parts: updatePart(state, event.partNumber, (p) =>
          p.status === 'sending'
            ? { ...p, loaded: Math.min(size(p), Math.max(0, event.loaded)) }
            : p,
        ),
      }

    case 'partDone': {
      const parts = updatePart(state, event.partNumber, (p) => ({
        ...p,
        status: 'done',
        loaded: size(p),
        attempts: 0,
        retryAt: null,
      }))
      const phase = state.phase === 'uploading' && allDone(parts) ? 'completing' : state.phase
      return { ...state, parts, phase }
    }

    case 'partFailed': {
      const part = state.parts.find((p) => p.partNumber === event.partNumber)
      if (!part || part.status !== 'sending') return state
      if (event.kind === 'expired') {
        return {
          ...state,
          phase: state.phase === 'uploading' ? 'refreshing' : state.phase,
          parts: updatePart(state, part.partNumber, (p) => ({
            ...p,
            status: 'pending',
            loaded: 0,
          })),
        }
      }
      if (event.kind === 'rejected') {
        return {
          ...state,
          phase: 'failed',
          error: event.message,
          parts: dropInFlight(
            updatePart(state, part.partNumber, (p) => ({ ...p, status: 'pending', loaded: 0 })),
          ),
        }
      }
      const attempts = part.attempts + 1
      if (attempts > MAX_AUTO_RETRIES) {
        return {
          ...state,
          phase: 'failed',
          error: `${event.message} (gave up after ${MAX_AUTO_RETRIES} retries)`,
          parts: dropInFlight(
            updatePart(state, part.partNumber, (p) => ({
              ...p,
              status: 'pending',
              loaded: 0,
              attempts,
            })),
          ),
        }
      }
      return {
        ...state,
        error: event.message,
        parts: updatePart(state, part.partNumber, (p) => ({
          ...p,
          status: 'waiting',
          loaded: 0,
          attempts,
          retryAt: event.now + retryDelay(attempts),
        })),
      }
    }

    case 'retryDue':
      return {
        ...state,
        parts: updatePart(state, event.partNumber, (p) =>
          p.status === 'waiting' ? { ...p, status: 'pending', retryAt: null } : p,
        ),
      }

    case 'pause':
      if (state.phase !== 'uploading' && state.phase !== 'refreshing') return state
      return { ...state, phase: 'paused', parts: dropInFlight(state.parts) }

    case 'resume':
      if (state.phase !== 'paused') return state
      return { ...state, phase: allDone(state.parts) ? 'completing' : 'uploading', error: null }

    case 'retry': {
      if (state.phase !== 'failed' || !state.retryable) return state
      // Nothing planned yet: the session starts over from the plan.
      if (state.parts.length === 0) return { ...state, phase: 'preparing', error: null }
      const parts = state.parts.map((p) =>
        p.status === 'done'
          ? p
          : { ...p, status: 'pending' as const, loaded: 0, attempts: 0, retryAt: null },
      )
      return { ...state, phase: allDone(parts) ? 'completing' : 'uploading', parts, error: null }
    }

    case 'completed':
      return { ...state, phase: 'processing', videoId: event.videoId, error: null }

    case 'failed':
      return {
        ...state,
        phase: 'failed',
        error: event.message,
        retryable: event.retryable ?? true,
        parts: dropInFlight(state.parts),
      }

    case 'cancel':
      return { ...state, phase: 'cancelled', parts: dropInFlight(state.parts) }
  }
}

// Which parts to start now, keeping at most `parallel` in flight.
export function partsToSend(state: UploadState, parallel = PARALLEL_PARTS): Part[] {
  if (state.phase !== 'uploading') return []
  const inFlight = state.parts.filter((p) => p.status === 'sending').length
  return state.parts
    .filter((p) => p.status === 'pending')
    .slice(0, Math.max(0, parallel - inFlight))
}

export function uploadProgress(state: UploadState) {
  const sent = state.parts.reduce((sum, p) => sum + p.loaded, 0)
  const total = state.fileSize || state.parts.reduce((sum, p) => sum + size(p), 0)
  return { sent, total, fraction: total > 0 ? Math.min(1, sent / total) : 0 }
}

export const partFraction = (p: Part) => (size(p) > 0 ? p.loaded / size(p) : 1)
