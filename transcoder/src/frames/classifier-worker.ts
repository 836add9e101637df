// The frame classifier's worker thread: loads the model as soon as it starts, then scores one
// frame per request. Messages are described in classifier.ts (WorkerRequest, WorkerMessage).
import { parentPort } from 'node:worker_threads'
import type { WorkerMessage, WorkerRequest } from './classifier'
import { loadRuntime, scoreWithRuntime } from './model'

const port = parentPort
if (port === null) throw new Error('classifier-worker.ts runs only as a worker thread')
const send = (message: WorkerMessage): void => port.postMessage(message)
const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

// nsfwjs and tfjs announce themselves with console.info/warn, and a worker's console is copied
// to the process's stdout, which must stay one JSON log object per line: the parent logs them.
const forward = (...args: unknown[]): void => {
  // nsfwjs styles its notice for browsers: '%c' plus a CSS argument.
  send({ type: 'notice', message: String(args[0]).replaceAll('%c', '').slice(0, 300) })
}
Object.assign(console, { log: forward, info: forward, warn: forward })

const runtime = loadRuntime().then(
  (loaded) => {
    send({ type: 'ready' })
    return loaded
  },
  (error: unknown) => {
    send({ type: 'failed', error: errorText(error) })
    return null
  },
)

port.on('message', (request: WorkerRequest) => {
  void runtime.then(async (loaded) => {
    if (loaded === null) {
      send({ type: 'scored', id: request.id, scores: null, error: 'model unavailable' })
      return
    }
    try {
      send({ type: 'scored', id: request.id, scores: await scoreWithRuntime(loaded, request.path) })
    } catch (error) {
      send({ type: 'scored', id: request.id, scores: null, error: errorText(error) })
    }
  })
})
