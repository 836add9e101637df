// Loads the classifier with onnxruntime-web in Node (the CLI, the report's latency, the tests), the
// same runtime and file the Worker uses. Node only.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as ort from 'onnxruntime-web'
import { featureLength, featurizeBatch, type FeaturizerConfig } from './featurize'
import { INPUT_NAME, OUTPUT_NAME } from './onnx-export'

export interface Classifier {
  /** Row-major [texts.length, 8] scores. */
  score(texts: readonly string[]): Promise<Float32Array>
  /** Runs the model on already-featurised rows ([rows, featureLength]). */
  run(features: Float32Array, rows: number): Promise<Float32Array>
}

function configureWasm(): void {
  const require = createRequire(import.meta.url)
  // The package entry lives in node_modules/onnxruntime-web/dist, beside the .wasm files.
  const dist = dirname(require.resolve('onnxruntime-web'))
  ort.env.wasm.wasmPaths = pathToFileURL(dist + '/').href
  ort.env.wasm.numThreads = 1
  ort.env.wasm.proxy = false
  ort.env.logLevel = 'error'
}

export async function loadClassifier(
  onnxPath: string,
  featurizer: FeaturizerConfig,
): Promise<Classifier> {
  configureWasm()
  const bytes = new Uint8Array(await readFile(onnxPath))
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] })
  const width = featureLength(featurizer)
  const run = async (features: Float32Array, rows: number): Promise<Float32Array> => {
    const input = new ort.Tensor('float32', features, [rows, width])
    const output = await session.run({ [INPUT_NAME]: input })
    const scores = output[OUTPUT_NAME]
    if (scores === undefined) throw new Error(`model has no ${OUTPUT_NAME} output`)
    return scores.data as Float32Array
  }
  return {
    run,
    score: (texts) => run(featurizeBatch(texts, featurizer), texts.length),
  }
}
