// The comment classifier inside the Worker: our own ONNX model (models/),
// run with onnxruntime-web's wasm backend. Loaded lazily, once per isolate.
// workerd forbids compiling wasm from bytes at run time, so the wasm file is
// imported as a precompiled module and handed to ORT's loader.
import * as ort from 'onnxruntime-web/wasm'
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm'
import modelBytes from '../../../../models/artifacts/comment-classifier.onnx'
import metadataJson from '../../../../models/artifacts/comment-classifier.json'
import type { ClassifierMetadata } from '../../../../models/src/artifact'
import type { Thresholds } from '../../../../models/src/decide'
import { moderateTexts, type ModeratedText } from '../../../../models/src/moderate'

export const commentModel = metadataJson as ClassifierMetadata

let session: Promise<ort.InferenceSession> | null = null

function routeWasmToPrecompiledModule() {
  const instantiate = WebAssembly.instantiate.bind(WebAssembly)
  // ORT calls instantiate(bytes, imports) once wasmBinary is set; answer with
  // the precompiled module instead of compiling the placeholder bytes.
  const patched = async (source: unknown, imports?: WebAssembly.Imports) => {
    if (source instanceof WebAssembly.Module) return instantiate(source, imports)
    const instance = await instantiate(ortWasm, imports)
    return { instance, module: ortWasm }
  }
  WebAssembly.instantiate = patched as typeof WebAssembly.instantiate
}

function loadSession() {
  if (!session) {
    routeWasmToPrecompiledModule()
    ort.env.wasm.wasmBinary = new Uint8Array([0])
    ort.env.wasm.numThreads = 1
    ort.env.wasm.proxy = false
    session = ort.InferenceSession.create(new Uint8Array(modelBytes)).catch((err: unknown) => {
      session = null
      throw err
    })
  }
  return session
}

export async function classifyComments(
  texts: readonly string[],
  thresholds: Thresholds = commentModel.thresholds,
): Promise<ModeratedText[]> {
  const s = await loadSession()
  const width = Number(commentModel.input.shape[1])
  const run = async (features: Float32Array, rows: number) => {
    const out = await s.run({ features: new ort.Tensor('float32', features, [rows, width]) })
    const scores = out.scores
    if (!scores) throw new Error('model has no `scores` output')
    return scores.data as Float32Array
  }
  return moderateTexts(texts, { ...commentModel, thresholds }, run)
}
