import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { UploadPlan } from '../../api/types'
import { mockFetch } from '@clipstream/frontend-kit/test/network'
import { videoCard } from '../../test/fixtures'
import { checkFile } from './fileChecks'
import { size } from './UploadProgress'
import type { PartOutcome, SendPart } from './partTransport'
import { resumeStore } from './resumeStore'
import {
  initialUpload,
  MAX_AUTO_RETRIES,
  partsToSend,
  retryDelay,
  uploadProgress,
  uploadReducer,
} from './uploadMachine'
import type { UploadEvent, UploadState } from './uploadMachine'
import { UploadSession } from './uploadSession'

const PART = 10

function plan(partCount: number, uploaded: number[] = [], urlTag = 'a'): UploadPlan {
  return {
    videoId: 'vid1',
    mode: partCount > 1 ? 'multipart' : 'single',
    partSize: PART,
    partCount,
    sizeBytes: 25,
    parts: Array.from({ length: partCount }, (_, i) => ({
      partNumber: i + 1,
      url: `/signed/upload/vid1/${i + 1}?sig=${urlTag}`,
    })),
    uploadedParts: uploaded.map((partNumber) => ({ partNumber, size: PART })),
    expiresAt: Date.now() + 3_600_000,
  }
}

const run = (events: UploadEvent[], from: UploadState = initialUpload) =>
  events.reduce(uploadReducer, from)

const planned = (partCount = 3, uploaded: number[] = []) =>
  run([
    { type: 'prepare', fileSize: 25 },
    { type: 'planned', plan: plan(partCount, uploaded) },
  ])

describe('upload state machine', () => {
  it('splits the file into parts from the plan and reports overall progress', () => {
    let s = planned()
    expect(s.phase).toBe('uploading')
    expect(s.parts.map((p) => [p.start, p.end])).toEqual([
      [0, 10],
      [10, 20],
      [20, 25],
    ])
    s = run(
      [
        { type: 'partStarted', partNumber: 1 },
        { type: 'partProgress', partNumber: 1, loaded: 5 },
        { type: 'partStarted', partNumber: 3 },
        { type: 'partProgress', partNumber: 3, loaded: 5 },
      ],
      s,
    )
    expect(uploadProgress(s)).toEqual({ sent: 10, total: 25, fraction: 0.4 })
    // Progress never runs past a part's size.
    s = run([{ type: 'partProgress', partNumber: 3, loaded: 99 }], s)
    expect(uploadProgress(s).sent).toBe(10)
  })

  it('keeps at most three parts in flight', () => {
    const s = run([
      { type: 'prepare', fileSize: 50 },
      { type: 'planned', plan: { ...plan(5), sizeBytes: 50 } },
    ])
    expect(partsToSend(s).map((p) => p.partNumber)).toEqual([1, 2, 3])
    const sending = run([{ type: 'partStarted', partNumber: 1 }], s)
    expect(partsToSend(sending).map((p) => p.partNumber)).toEqual([2, 3])
  })

  it('moves to completing when the last part arrives', () => {
    const s = run(
      [1, 2, 3].flatMap((n): UploadEvent[] => [
        { type: 'partStarted', partNumber: n },
        { type: 'partDone', partNumber: n },
      ]),
      planned(),
    )
    expect(s.phase).toBe('completing')
    expect(uploadProgress(s).fraction).toBe(1)
  })

  it('pauses (dropping parts in flight) and resumes', () => {
    let s = run(
      [
        { type: 'partStarted', partNumber: 1 },
        { type: 'partProgress', partNumber: 1, loaded: 7 },
        { type: 'partStarted', partNumber: 2 },
        { type: 'partDone', partNumber: 2 },
        { type: 'pause' },
      ],
      planned(),
    )
    expect(s.phase).toBe('paused')
    expect(partsToSend(s)).toEqual([])
    expect(s.parts.map((p) => [p.status, p.loaded])).toEqual([
      ['pending', 0],
      ['done', 10],
      ['pending', 0],
    ])
    s = run([{ type: 'resume' }], s)
    expect(s.phase).toBe('uploading')
    expect(partsToSend(s).map((p) => p.partNumber)).toEqual([1, 3])
  })

  it('retries a part after a network error with growing waits, then gives up', () => {
    let s = run([{ type: 'partStarted', partNumber: 1 }], planned())
    s = run(
      [{ type: 'partFailed', partNumber: 1, kind: 'network', message: 'offline', now: 1000 }],
      s,
    )
    expect(s.phase).toBe('uploading')
    expect(s.parts[0]).toMatchObject({ status: 'waiting', attempts: 1, retryAt: 2000 })
    expect(partsToSend(s).map((p) => p.partNumber)).toEqual([2, 3])
    s = run([{ type: 'retryDue', partNumber: 1 }], s)
    expect(s.parts[0]?.status).toBe('pending')
    expect([1, 2, 3, 4].map(retryDelay)).toEqual([1000, 2000, 4000, 8000])

    for (let i = 0; i < MAX_AUTO_RETRIES; i++) {
      s = run(
        [
          { type: 'partStarted', partNumber: 1 },
          { type: 'partFailed', partNumber: 1, kind: 'server', message: 'Bad gateway', now: 0 },
          { type: 'retryDue', partNumber: 1 },
        ],
        s,
      )
    }
    expect(s.phase).toBe('failed')
    expect(s.error).toContain('Bad gateway')
    // A manual retry starts the count again.
    s = run([{ type: 'retry' }], s)
    expect(s.phase).toBe('uploading')
    expect(s.parts[0]).toMatchObject({ status: 'pending', attempts: 0 })
  })

  it('refreshes the plan when a signed URL expired, keeping finished parts', () => {
    let s = run(
      [
        { type: 'partStarted', partNumber: 1 },
        { type: 'partDone', partNumber: 1 },
        { type: 'partStarted', partNumber: 2 },
        { type: 'partFailed', partNumber: 2, kind: 'expired', message: 'expired', now: 0 },
      ],
      planned(),
    )
    expect(s.phase).toBe('refreshing')
    s = run([{ type: 'planned', plan: plan(3, [1], 'fresh') }], s)
    expect(s.phase).toBe('uploading')
    expect(s.parts.map((p) => p.status)).toEqual(['done', 'pending', 'pending'])
    expect(s.parts[1]?.url).toContain('sig=fresh')
  })

  it('stops on a refusal and shows the server message as given', () => {
    const s = run(
      [
        { type: 'partStarted', partNumber: 1 },
        { type: 'partFailed', partNumber: 1, kind: 'rejected', message: 'Part too large', now: 0 },
      ],
      planned(),
    )
    expect(s).toMatchObject({ phase: 'failed', error: 'Part too large' })
  })

  it('skips parts the server already has when resuming', () => {
    const s = planned(3, [1, 2])
    expect(s.resumedParts).toBe(2)
    expect(partsToSend(s).map((p) => p.partNumber)).toEqual([3])
    expect(uploadProgress(s).sent).toBe(20)
  })
})

describe('file checks', () => {
  const file = (type: string, size: number, name = 'clip.mp4') => {
    const f = new File(['x'], name, { type })
    Object.defineProperty(f, 'size', { value: size })
    return f
  }
  it('accepts the containers the server accepts, up to 500 MB', () => {
    expect(checkFile(file('video/mp4', 1000))).toBeNull()
    expect(checkFile(file('', 1000, 'clip.mkv'))).toBeNull()
    expect(checkFile(file('', 1000, 'clip.avi'))).toBeNull()
    expect(checkFile(file('image/png', 1000, 'x.png'))).toBe(
      'This file type is not supported. Upload an MP4, MOV, WebM, MKV or AVI video.',
    )
    expect(checkFile(file('image/png', 1000, 'x.png'))).toMatch(/not supported/)
    expect(checkFile(file('video/webm', 501 * 1024 * 1024))).toMatch(/at most 500 MB/)
    expect(checkFile(file('video/mp4', 0))).toMatch(/empty/)
  })

  it('shows small files in kB', () => {
    expect(size(40 * 1024)).toBe('40 kB')
    expect(size(300)).toBe('1 kB')
    expect(size(5.25 * 1024 * 1024)).toBe('5.3 MB')
  })
})

// The session against a fake network: fetch for the API, a fake part sender for the PUTs.
describe('upload session', () => {
  type Pending = {
    url: string
    size: number
    progress: (n: number) => void
    finish: (o: PartOutcome) => void
  }
  let puts: Pending[]
  let sendPart: SendPart

  beforeEach(() => {
    vi.useFakeTimers()
    puts = []
    sendPart = (url, bytes, progress) => {
      let finish: (o: PartOutcome) => void = () => undefined
      const result = new Promise<PartOutcome>((resolve) => (finish = resolve))
      puts.push({ url, size: bytes.size, progress, finish })
      return { result, abort: () => undefined }
    }
  })
  afterEach(() => vi.useRealTimers())

  const file = new File([new Uint8Array(25)], 'clip.mp4', { type: 'video/mp4', lastModified: 42 })
  const meta = {
    title: 'My clip',
    description: '',
    categories: [],
    tags: [],
    visibility: 'public' as const,
  }
  const flush = () => vi.advanceTimersByTimeAsync(0)

  function api(uploaded: number[] = []) {
    return mockFetch({
      'POST /api/uploads': () => ({
        status: 201,
        body: { video: videoCard('vid1'), upload: plan(3) },
      }),
      'GET /api/uploads/vid1': () => ({ body: { upload: plan(3, uploaded, 'again') } }),
      'POST /api/uploads/vid1/complete': () => ({
        body: { video: videoCard('vid1', { status: 'processing' }) },
      }),
    })
  }

  it('uploads every part, completes, and forgets the file', async () => {
    const { calls } = api()
    const session = new UploadSession(file, 'video/mp4', meta, { sendPart })
    session.start()
    await flush()
    expect(calls[0]?.body).toMatchObject({
      title: 'My clip',
      fileName: 'clip.mp4',
      sizeBytes: 25,
      contentType: 'video/mp4',
    })
    expect(puts.map((p) => p.size)).toEqual([10, 10, 5])
    expect(resumeStore.find('clip.mp4|25|42')).toBe('vid1')

    puts[0]?.progress(5)
    expect(uploadProgress(session.getState()).sent).toBe(5)
    for (const p of puts) p.finish({ ok: true })
    await flush()
    expect(calls.at(-1)?.path).toBe('/api/uploads/vid1/complete')
    expect(session.getState().phase).toBe('processing')
    expect(resumeStore.find('clip.mp4|25|42')).toBeNull()
  })

  it('retries a part automatically after a network error', async () => {
    api()
    const session = new UploadSession(file, 'video/mp4', meta, { sendPart })
    session.start()
    await flush()
    puts[1]?.finish({ ok: false, kind: 'network', message: 'The connection dropped' })
    await flush()
    expect(session.getState().parts[1]?.status).toBe('waiting')
    expect(puts).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(1000)
    expect(puts).toHaveLength(4)
    expect(puts[3]?.url).toContain('/vid1/2?')
  })

  it('pauses and resumes, resending the interrupted parts', async () => {
    api()
    const session = new UploadSession(file, 'video/mp4', meta, { sendPart })
    session.start()
    await flush()
    puts[0]?.finish({ ok: true })
    await flush()
    session.pause()
    expect(session.getState().phase).toBe('paused')
    // Aborted transfers that still answer change nothing.
    puts[1]?.finish({ ok: true })
    await flush()
    expect(session.getState().parts[1]?.status).toBe('pending')
    session.resume()
    expect(puts.slice(3).map((p) => p.url.split('?')[0])).toEqual([
      '/signed/upload/vid1/2',
      '/signed/upload/vid1/3',
    ])
  })

  it('resumes after a reload: same file, same upload, uploaded parts skipped', async () => {
    resumeStore.save('clip.mp4|25|42', 'vid1')
    const { calls } = api([1, 2])
    const session = new UploadSession(file, 'video/mp4', meta, { sendPart })
    session.start()
    await flush()
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/uploads/vid1'])
    expect(puts.map((p) => p.url)).toEqual(['/signed/upload/vid1/3?sig=again'])
    expect(session.getState().resumedParts).toBe(2)
  })

  it('fetches fresh URLs when one expired', async () => {
    const { calls } = api()
    const session = new UploadSession(file, 'video/mp4', meta, { sendPart })
    session.start()
    await flush()
    puts[0]?.finish({ ok: false, kind: 'expired', message: 'Link expired' })
    await flush()
    expect(calls.at(-1)?.path).toBe('/api/uploads/vid1')
    expect(puts.at(-1)?.url).toBe('/signed/upload/vid1/1?sig=again')
  })

  it('shows the server error when the upload cannot be created', async () => {
    mockFetch({
      'POST /api/uploads': () => ({
        status: 429,
        body: {
          error: {
            code: 'rate_limited',
            message: 'You can upload 10 videos per hour',
            requestId: 'r',
          },
        },
      }),
    })
    const session = new UploadSession(file, 'video/mp4', meta, { sendPart })
    session.start()
    await flush()
    expect(session.getState()).toMatchObject({
      phase: 'failed',
      error: 'You can upload 10 videos per hour',
      retryable: true,
    })
  })

  it('offers no retry when the server refuses the file itself', async () => {
    const reason =
      'This file is not a video we can read. We accept MP4, MOV, WebM, MKV or AVI files.'
    mockFetch({
      'POST /api/uploads': () => ({
        status: 422,
        body: { error: { code: 'unsupported_file', message: reason, requestId: 'r' } },
      }),
    })
    const session = new UploadSession(file, 'video/mp4', meta, { sendPart })
    session.start()
    await flush()
    expect(session.getState()).toMatchObject({ phase: 'failed', error: reason, retryable: false })
    session.retry()
    await flush()
    expect(session.getState().phase).toBe('failed')
  })
})
