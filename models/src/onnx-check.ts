// Runs the exported file through onnxruntime-web: equality with the TypeScript forward pass on the
// team's evaluation set, and per-comment latency (featurise + inference), for REPORT.md. Node only.
import { cpus, loadavg } from 'node:os'
import type { ClassifierMetadata } from './artifact'
import type { Example } from './datasets'
import { featureLength, featurize, toDense, type SparseFeatures } from './featurize'
import { K, forwardSparse, type HybridModel } from './model'
import { percentile } from './metrics'
import { loadClassifier } from './onnx-session'

export interface OnnxCheck {
  rows: number
  maxAbsDiff: number
  firstCallMs: number
  loadAverage: number
  cpus: number
  latencyComments: number
  p50Ms: number
  p99Ms: number
  meanMs: number
}

const BATCH = 256
const LATENCY_COMMENTS = 1000

export async function measureOnnx(
  onnxPath: string,
  metadata: ClassifierMetadata,
  model: HybridModel,
  rows: readonly SparseFeatures[],
  examples: readonly Example[],
): Promise<OnnxCheck> {
  const width = featureLength(metadata.featurizer)
  const loadStart = performance.now()
  const classifier = await loadClassifier(onnxPath, metadata.featurizer)
  await classifier.score(['warm up'])
  const firstCallMs = performance.now() - loadStart

  let maxAbsDiff = 0
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH)
    const dense = new Float32Array(batch.length * width)
    batch.forEach((x, i) => dense.set(toDense(x, metadata.featurizer), i * width))
    const onnx = await classifier.run(dense, batch.length)
    batch.forEach((x, i) => {
      const ref = forwardSparse(model, x)
      for (let k = 0; k < K; k++) {
        maxAbsDiff = Math.max(maxAbsDiff, Math.abs((onnx[i * K + k] ?? 0) - (ref[k] ?? 0)))
      }
    })
  }

  const texts = examples.slice(0, LATENCY_COMMENTS).map((e) => e.text)
  for (const text of texts.slice(0, 20))
    await classifier.run(featurize(text, metadata.featurizer), 1)
  const times: number[] = []
  for (const text of texts) {
    const t0 = performance.now()
    await classifier.run(featurize(text, metadata.featurizer), 1)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return {
    rows: rows.length,
    maxAbsDiff,
    firstCallMs,
    loadAverage: loadavg()[0] ?? 0,
    cpus: cpus().length,
    latencyComments: times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    meanMs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
  }
}
