// The exported file against the TypeScript forward pass on the team's evaluation set, without
// retraining: the model is rebuilt from the ONNX initializers.
import { readFileSync, statSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadTeamEval, ONNX_PATH, readMetadata } from './corpus'
import {
  featureLength,
  featurizeBatch,
  featurizeSparse,
  linearLength,
  normalizeText,
  SIGNAL,
  toDense,
} from './featurize'
import { labelIndex, LABELS } from './labels'
import { forwardSparse, K, poolEmbedding, type HybridModel } from './model'
import { INPUT_NAME, OUTPUT_NAME, readModel } from './onnx-export'
import { loadClassifier, type Classifier } from './onnx-session'
import { readFields, ProtoWriter } from './protobuf'

const metadata = readMetadata()
const width = featureLength(metadata.featurizer)
let classifier: Classifier
let model: HybridModel

beforeAll(async () => {
  model = readModel(
    new Uint8Array(readFileSync(ONNX_PATH)),
    metadata.featurizer.hashBuckets + SIGNAL.minor,
  )
  classifier = await loadClassifier(ONNX_PATH, metadata.featurizer)
})

describe('comment-classifier.onnx', () => {
  it('fits the budget and matches its metadata', () => {
    expect(statSync(ONNX_PATH).size).toBeLessThanOrEqual(8 * 1024 * 1024)
    expect(metadata.labels).toEqual([...LABELS])
    expect(metadata.input).toEqual({ name: INPUT_NAME, shape: ['N', width] })
    expect(metadata.output).toEqual({ name: OUTPUT_NAME, shape: ['N', K] })
    expect(model.linearLength).toBe(linearLength(metadata.featurizer))
    expect(model.weights.length).toBe(model.linearLength * K)
    expect(model.tokenSlots).toBe(metadata.featurizer.tokenSlots ?? 0)
    if (model.embedding !== null) {
      // One table row per vocabulary word plus the zero padding row.
      expect(model.embedding.rows).toBe((metadata.featurizer.vocabulary ?? []).length + 1)
      expect(
        [...model.embedding.table.subarray(0, model.embedding.dims)].every((v) => v === 0),
      ).toBe(true)
    }
  })

  it('equals the TypeScript forward pass on the team eval set to 1e-5', async () => {
    const texts = loadTeamEval().map((e) => e.text)
    expect(texts.length).toBeGreaterThan(500)
    let maxDiff = 0
    for (let start = 0; start < texts.length; start += 256) {
      const rows = texts
        .slice(start, start + 256)
        .map((text) => featurizeSparse(text, metadata.featurizer))
      const dense = new Float32Array(rows.length * width)
      rows.forEach((x, i) => dense.set(toDense(x, metadata.featurizer), i * width))
      const onnx = await classifier.run(dense, rows.length)
      rows.forEach((x, i) => {
        const ref = forwardSparse(model, x)
        for (let k = 0; k < K; k++) {
          maxDiff = Math.max(maxDiff, Math.abs((onnx[i * K + k] ?? 0) - (ref[k] ?? 0)))
        }
      })
    }
    expect(maxDiff).toBeLessThan(1e-5)
  })

  it('the Worker input carries the same word ids training pooled over', () => {
    const vocabulary = metadata.featurizer.vocabulary ?? []
    const tokenSlots = metadata.featurizer.tokenSlots ?? 0
    const texts = ['all of them are vermin and should be exterminated', 'nice video bro', '']
    const batch = featurizeBatch(texts, metadata.featurizer)
    texts.forEach((text, row) => {
      const x = featurizeSparse(text, metadata.featurizer)
      const slots = batch.subarray(
        row * width + linearLength(metadata.featurizer),
        (row + 1) * width,
      )
      expect(slots.length).toBe(tokenSlots)
      // The ids in the input row are the training ids, in order, then zero padding.
      expect([...slots].filter((v) => v > 0)).toEqual([...x.tokens])
      const inVocabulary = normalizeText(text)
        .split(' ')
        .filter((w) => vocabulary.includes(w))
        .slice(0, tokenSlots)
      expect([...x.tokens].map((id) => vocabulary[id - 1])).toEqual(inVocabulary)
    })
    if (model.embedding !== null) {
      // A word the labelled data never needed still has its own vector.
      const ids = featurizeSparse('vermin', metadata.featurizer).tokens
      expect(ids.length).toBe(1)
      const pooled = poolEmbedding(model.embedding, ids)
      expect(pooled.some((v) => v !== 0)).toBe(true)
    }
  })

  it('derives S3 = S x minor signal in the graph', async () => {
    const texts = ['my 12 year old kid watches this', 'I will kill you all', 'nice video']
    const scores = await classifier.score(texts)
    const at = (row: number, label: (typeof LABELS)[number]): number =>
      scores[row * K + labelIndex(label)] ?? Number.NaN
    expect(at(0, 'S3')).toBeCloseTo(at(0, 'S'), 6)
    expect(at(1, 'S3')).toBe(0)
    expect(at(2, 'S3')).toBe(0)
  })
})

describe('protobuf', () => {
  it('round-trips varints, strings and nested messages', () => {
    const bytes = new ProtoWriter()
      .int(1, 300)
      .int(2, -1)
      .string(3, 'héllo')
      .message(4, (m) => m.int(1, 7))
      .finish()
    const fields = readFields(bytes)
    expect(fields[0]).toEqual({ field: 1, int: 300n })
    expect(fields[1]?.int).toBe(2n ** 64n - 1n)
    expect(new TextDecoder().decode(fields[2]?.bytes)).toBe('héllo')
    expect(readFields(fields[3]?.bytes ?? new Uint8Array())[0]).toEqual({ field: 1, int: 7n })
  })
})
