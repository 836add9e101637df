// nsfwjs on TensorFlow's wasm backend, from the weights bundled inside the nsfwjs package (never
// the network). Only the classifier's worker thread imports this: loading the model and scoring
// a frame are seconds and tenths of seconds of synchronous work that would otherwise stop the
// transcoder's event loop (progress callbacks, downloads, uploads, ffmpeg's output).
import { createRequire } from 'node:module'
import path from 'node:path'
import sharp from 'sharp'
import type * as Tf from '@tensorflow/tfjs'

export type FrameScores = Record<'Drawing' | 'Hentai' | 'Neutral' | 'Porn' | 'Sexy', number>

export const MODEL_NAME = 'MobileNetV2'

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

export async function loadRuntime(): Promise<Runtime> {
  // Imported here rather than at the top so the worker can report a failed import as "unavailable".
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
  const model = await nsfwjs.load(MODEL_NAME)
  return { tf, model }
}

export async function scoreWithRuntime(runtime: Runtime, jpegPath: string): Promise<FrameScores> {
  const { data } = await sharp(jpegPath)
    .resize(INPUT_SIZE, INPUT_SIZE, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
  const image = runtime.tf.tensor3d(new Uint8Array(data), [INPUT_SIZE, INPUT_SIZE, 3], 'int32')
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
}
