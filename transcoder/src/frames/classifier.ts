// Scores moderation frames with nsfwjs (see model.ts) in a worker thread. The transcoder starts
// loading the model when it starts (start-up, not the first job), so loading and scoring never
// stop the event loop that sends a job's progress: on the main thread the load held it for
// 0.8-1.8 s at a time (1.7-3.2 s in all here, about 4.5 s on a loaded machine). A job that needs
// the model before it is ready waits for the same load. If it cannot load, or the thread dies,
// frames get no scores and the Worker sends the video to human review.
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { Logger } from '../log'
import { errorMessage } from '../log'
import type { FrameScores } from './model'

export type { FrameScores } from './model'
export type ClassifierStatus = 'ready' | 'loading' | 'unavailable'

export interface ClassifierIdentity {
  name: 'nsfwjs'
  version: '4.3.0'
  model: 'MobileNetV2'
}

export const CLASSIFIER_IDENTITY: ClassifierIdentity = {
  name: 'nsfwjs',
  version: '4.3.0',
  model: 'MobileNetV2',
}

export interface FrameClassifier {
  status(): ClassifierStatus
  // Resolves null when the model is unavailable; never rejects.
  scoreFrame(jpegPath: string): Promise<FrameScores | null>
  // Starts loading (if not yet) and resolves true when ready; every caller shares one load.
  ready(): Promise<boolean>
  // Stops the model's thread; frames scored after this get null.
  close(): Promise<void>
}

// What runs the model. Production: a worker thread; tests swap in loaders that fail or wait.
export interface ClassifierBackend {
  // Resolves null (never rejects) when the frame could not be scored.
  score(jpegPath: string): Promise<FrameScores | null>
}

export interface BackendContext {
  logger: Logger
  // Aborted by close(): stop loading, release the thread.
  signal: AbortSignal
  // The backend stopped working after it was ready (the thread died).
  onLost(error: unknown): void
}

export type StartBackend = (context: BackendContext) => Promise<ClassifierBackend>

// Messages between this module and classifier-worker.ts.
export interface WorkerRequest {
  id: number
  path: string
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'notice'; message: string }
  | { type: 'scored'; id: number; scores: FrameScores | null; error?: string }

// The worker is TypeScript like the rest of the service. Worker threads do not inherit tsx's
// loader (checked on Node 20: `--import tsx` in execArgv still fails with "Unknown file
// extension .ts"), so a two-line bootstrap registers it inside the thread first.
function spawnClassifierThread(): Worker {
  const ownUrl = import.meta.url
  if (!ownUrl.endsWith('.ts')) return new Worker(new URL('./classifier-worker.js', ownUrl))
  // require.resolve would give the CommonJS build of the API, which cannot register ESM hooks
  // from an ESM import; the ESM build is tsx's export `./esm/api` (import condition).
  const tsxDir = path.dirname(createRequire(ownUrl).resolve('tsx/package.json'))
  const tsxApi = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href
  const entry = new URL('./classifier-worker.ts', ownUrl).href
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => {
    api.register()
    return import(${JSON.stringify(entry)})
  })`
  return new Worker(bootstrap, { eval: true, execArgv: [] })
}

export const startWorkerBackend: StartBackend = ({ logger, signal, onLost }) =>
  new Promise((resolve, reject) => {
    const worker = spawnClassifierThread()
    const pending = new Map<
      number,
      { path: string; settle: (scores: FrameScores | null) => void }
    >()
    let nextId = 1
    let loaded = false
    let gone = false
    // Keeps the process alive only while the thread has work, so a script that scores a few
    // frames and returns still exits; the server's own socket keeps the transcoder running.
    const holdProcess = (): void => {
      if (!loaded || pending.size > 0) worker.ref()
      else worker.unref()
    }
    const stop = (error: unknown): void => {
      if (gone) return
      gone = true
      for (const request of pending.values()) request.settle(null)
      pending.clear()
      if (loaded && !signal.aborted) onLost(error)
      else reject(error instanceof Error ? error : new Error(String(error)))
      void worker.terminate()
    }
    const onAbort = (): void => stop(new Error('frame classifier closed'))
    signal.addEventListener('abort', onAbort, { once: true })
    worker.on('error', stop)
    worker.on('exit', (code) => stop(new Error(`frame classifier thread exited (${code})`)))
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'notice') {
        logger.info('frame_classifier_notice', { message: message.message })
      } else if (message.type === 'failed') {
        stop(new Error(message.error))
      } else if (message.type === 'ready') {
        loaded = true
        holdProcess()
        resolve({
          score: (jpegPath) => {
            if (gone) return Promise.resolve(null)
            const id = nextId++
            const scored = new Promise<FrameScores | null>((settle) =>
              pending.set(id, { path: jpegPath, settle }),
            )
            holdProcess()
            const request: WorkerRequest = { id, path: jpegPath }
            worker.postMessage(request)
            return scored
          },
        })
      } else {
        const request = pending.get(message.id)
        pending.delete(message.id)
        holdProcess()
        if (message.error !== undefined) {
          logger.warn('frame_not_scored', { frame: request?.path, error: message.error })
        }
        request?.settle(message.scores)
      }
    })
    if (signal.aborted) onAbort()
  })

export function createFrameClassifier(options: {
  enabled: boolean
  logger: Logger
  startBackend?: StartBackend
}): FrameClassifier {
  const { logger } = options
  const startBackend = options.startBackend ?? startWorkerBackend
  const controller = new AbortController()
  let loading: Promise<ClassifierBackend | null> | null = null
  let state: ClassifierStatus = options.enabled ? 'loading' : 'unavailable'

  const load = (): Promise<ClassifierBackend | null> => {
    if (!options.enabled || controller.signal.aborted) return Promise.resolve(null)
    const onLost = (error: unknown): void => {
      state = 'unavailable'
      logger.error('frame_classifier_lost', { error: errorMessage(error) })
    }
    loading ??= startBackend({ logger, signal: controller.signal, onLost }).then(
      (backend) => {
        state = 'ready'
        logger.info('frame_classifier_ready', { ...CLASSIFIER_IDENTITY })
        return backend
      },
      (error: unknown) => {
        state = 'unavailable'
        if (!controller.signal.aborted) {
          logger.error('frame_classifier_unavailable', { error: errorMessage(error) })
        }
        return null
      },
    )
    return loading
  }

  return {
    status: () => state,
    ready: async () => (await load()) !== null,
    scoreFrame: async (jpegPath) => {
      const backend = await load()
      if (backend === null || state !== 'ready') return null
      return backend.score(jpegPath)
    },
    close: async () => {
      controller.abort()
      await loading
    },
  }
}
