// Node-side bench of the comment classifier: the same featuriser, ONNX file and onnxruntime-web
// the Worker uses. Prints one JSON document. `npx tsx bench/comments-model/run.ts`
// (workerd numbers come from bench/comments, which the Worker owns).
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { gzipSync } from 'node:zlib'
import { loadBenignProbe, loadAllExamples, ONNX_PATH, readMetadata } from '../../models/src/corpus'
import { decide } from '../../models/src/decide'
import { featurize, featurizeBatch } from '../../models/src/featurize'
import { percentile } from '../../models/src/metrics'
import { loadClassifier } from '../../models/src/onnx-session'
import { splitExamples } from '../../models/src/split'

function stats(times: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...times].sort((a, b) => a - b)
  const round = (x: number): number => Math.round(x * 1000) / 1000
  return {
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  }
}

async function main(): Promise<void> {
  const metadata = readMetadata()
  const { test } = splitExamples(loadAllExamples().examples)
  const texts = [...loadBenignProbe(), ...test.map((e) => e.text)].slice(0, 2000)

  const coldStart = performance.now()
  const classifier = await loadClassifier(ONNX_PATH, metadata.featurizer)
  await classifier.score(['first call'])
  const coldMs = performance.now() - coldStart
  for (const text of texts.slice(0, 50)) await classifier.score([text])

  const featurizeMs: number[] = []
  const endToEndMs: number[] = []
  // CPU time separates our work from waiting on a busy shared machine.
  const cpuMs: number[] = []
  for (const text of texts) {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const features = featurize(text, metadata.featurizer)
    const t1 = performance.now()
    const scores = await classifier.run(features, 1)
    decide(scores, metadata.thresholds)
    endToEndMs.push(performance.now() - t0)
    featurizeMs.push(t1 - t0)
    const cpu = process.cpuUsage(cpu0)
    cpuMs.push((cpu.user + cpu.system) / 1000)
  }

  const batchSize = 32
  const batchStart = performance.now()
  for (let i = 0; i < texts.length; i += batchSize) {
    const batch = texts.slice(i, i + batchSize)
    await classifier.run(featurizeBatch(batch, metadata.featurizer), batch.length)
  }
  const batchSeconds = (performance.now() - batchStart) / 1000

  const onnx = readFileSync(ONNX_PATH)
  console.log(
    JSON.stringify(
      {
        bench: 'comments-model',
        runtime: `node ${process.version}, onnxruntime-web wasm, 1 thread`,
        model: metadata.version,
        comments: texts.length,
        coldStartMs: Math.round(coldMs),
        perCommentMs: stats(endToEndMs),
        featurizeMs: stats(featurizeMs),
        perCommentCpuMs: stats(cpuMs),
        singlePerSecond: Math.round(texts.length / (endToEndMs.reduce((a, b) => a + b, 0) / 1000)),
        batch32PerSecond: Math.round(texts.length / batchSeconds),
        onnxBytes: onnx.length,
        onnxGzipBytes: gzipSync(onnx).length,
        loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
        cpus: cpus().length,
      },
      null,
      2,
    ),
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
