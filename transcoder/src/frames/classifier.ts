// Scores moderation frames with nsfwjs on TensorFlow's wasm backend. The model is loaded once per
// process, on first use, from the weights bundled inside the nsfwjs package (never the network).
// If it cannot load, frames get no scores and the Worker sends the video to human review.
import { createRequire } from 'node:module'
import path from 'node:path'
import sharp from 'sharp'
import type * as Tf from '@tensorflow/tfjs'
import type { Logger } from '../log'
import { errorMessage } from '../log'

export type FrameScores = Record<'Drawing' | 'Hentai' | 'Neutral' | 'Porn' | 'Sexy', number>
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
  // Starts loading (if not yet) and resolves true when ready.
  ready(): Promise<boolean>
}

const INPUT_SIZE = 224
const CLASS_NAMES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const

interface LoadedModel {
  classify(
    image: Tf.Tensor3D,
    topk?: number,
  ): Promise<Array<{ className: string; probability: number }>>
}

export interface Runtime {
  tf: typeof Tf
  model: LoadedModel
}

// nsfwjs and tfjs announce themselves with console.info/warn; stdout must stay one JSON log
// object per line, so their notices go through the logger while the model loads.
async function withConsoleRouted<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  const { log, info, warn } = console
  const forward = (...args: unknown[]): void => {
    // nsfwjs styles its notice for browsers: '%c' plus a CSS argument.
    const message = String(args[0]).replaceAll('%c', '').slice(0, 300)
    logger.info('frame_classifier_notice', { message })
  }
  Object.assign(console, { log: forward, info: forward, warn: forward })
  try {
    return await work()
  } finally {
    Object.assign(console, { log, info, warn })
  }
}

async function loadRuntime(): Promise<Runtime> {
  // Imported here rather than at the top so a process that never scores pays nothing for tfjs.
  const tf = await import('@tensorflow/tfjs')
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  const require = createRequire(import.meta.url)
  const wasmDir = path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  )
  wasm.setWasmPaths(`${wasmDir}${path.sep}`)
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise')
  await tf.ready()
  const nsfwjs = await import('nsfwjs')
  // A model name (not a URL) makes nsfwjs import its bundled model files from node_modules.
  const model = await nsfwjs.load(CLASSIFIER_IDENTITY.model)
  return { tf, model }
}

export function createFrameClassifier(options: {
  enabled: boolean
  logger: Logger
  // Tests swap in a loader that fails; production always uses the bundled model.
  loadModel?: () => Promise<Runtime>
}): FrameClassifier {
  const loadModel = options.loadModel ?? loadRuntime
  let loading: Promise<Runtime | null> | null = null
  let state: ClassifierStatus = options.enabled ? 'loading' : 'unavailable'

  const load = (): Promise<Runtime | null> => {
    if (!options.enabled) return Promise.resolve(null)
    loading ??= withConsoleRouted(options.logger, loadModel).then(
      (runtime) => {
        state = 'ready'
        options.logger.info('frame_classifier_ready', { ...CLASSIFIER_IDENTITY })
        return runtime
      },
      (error: unknown) => {
        state = 'unavailable'
        options.logger.error('frame_classifier_unavailable', { error: errorMessage(error) })
        return null
      },
    )
    return loading
  }

  return {
    status: () => state,
    ready: async () => (await load()) !== null,
    scoreFrame: async (jpegPath) => {
      const runtime = await load()
      if (runtime === null) return null
      try {
        const { data } = await sharp(jpegPath)
          .resize(INPUT_SIZE, INPUT_SIZE, { fit: 'fill' })
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true })
        const image = runtime.tf.tensor3d(
          new Uint8Array(data),
          [INPUT_SIZE, INPUT_SIZE, 3],
          'int32',
        )
        try {
          const predictions = await runtime.model.classify(image, CLASS_NAMES.length)
          const scores: FrameScores = { Drawing: 0, Hentai: 0, Neutral: 0, Porn: 0, Sexy: 0 }
          for (const prediction of predictions) {
            const name = CLASS_NAMES.find((candidate) => candidate === prediction.className)
            if (name !== undefined) scores[name] = Math.round(prediction.probability * 1e4) / 1e4
          }
          return scores
        } finally {
          image.dispose()
        }
      } catch (error) {
        options.logger.warn('frame_not_scored', { frame: jpegPath, error: errorMessage(error) })
        return null
      }
    },
  }
}
