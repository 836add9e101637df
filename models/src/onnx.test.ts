// The exported file against the TypeScript forward pass, on the test split, without retraining:
// the weights are read back from the ONNX initializers.
import { readFileSync, statSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadAllExamples, ONNX_PATH, readMetadata } from './corpus'
import { featureLength, featurizeSparse, SIGNAL, toDense } from './featurize'
import { labelIndex, LABELS } from './labels'
import { forwardSparse, K, type LinearModel } from './linear'
import { INPUT_NAME, OUTPUT_NAME, readFloatInitializers } from './onnx-export'
import { loadClassifier, type Classifier } from './onnx-session'
import { readFields, ProtoWriter } from './protobuf'
import { splitExamples } from './split'

const metadata = readMetadata()
const width = featureLength(metadata.featurizer)
let classifier: Classifier
let model: LinearModel

beforeAll(async () => {
  const initializers = readFloatInitializers(new Uint8Array(readFileSync(ONNX_PATH)))
  const weights = initializers.get('W')
  const bias = initializers.get('B')
  if (weights === undefined || bias === undefined) throw new Error('W or B missing')
  model = {
    featureLength: width,
    weights: weights.data,
    bias: bias.data,
    minorFeature: metadata.featurizer.hashBuckets + SIGNAL.minor,
  }
  classifier = await loadClassifier(ONNX_PATH, metadata.featurizer)
})

describe('comment-classifier.onnx', () => {
  it('fits the budget and matches its metadata', () => {
    expect(statSync(ONNX_PATH).size).toBeLessThanOrEqual(8 * 1024 * 1024)
    expect(metadata.labels).toEqual([...LABELS])
    expect(metadata.input).toEqual({ name: INPUT_NAME, shape: ['N', width] })
    expect(metadata.output).toEqual({ name: OUTPUT_NAME, shape: ['N', K] })
    expect(model.weights.length).toBe(width * K)
  })

  it('equals the TypeScript forward pass on the test split to 1e-5', async () => {
    const { test } = splitExamples(loadAllExamples().examples)
    expect(test.length).toBeGreaterThan(1000)
    let maxDiff = 0
    for (let start = 0; start < test.length; start += 512) {
      const rows = test
        .slice(start, start + 512)
        .map((e) => featurizeSparse(e.text, metadata.featurizer))
      const dense = new Float32Array(rows.length * width)
      rows.forEach((x, i) => dense.set(toDense(x, width), i * width))
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

  it('derives S3 = S x minor signal and H2 = min(H, V) in the graph', async () => {
    const texts = ['my 12 year old kid watches this', 'I will kill you all', 'nice video']
    const scores = await classifier.score(texts)
    const at = (row: number, label: (typeof LABELS)[number]): number =>
      scores[row * K + labelIndex(label)] ?? Number.NaN
    expect(at(0, 'S3')).toBeCloseTo(at(0, 'S'), 6)
    expect(at(2, 'S3')).toBe(0)
    for (let row = 0; row < texts.length; row++) {
      expect(at(row, 'H2')).toBeCloseTo(Math.min(at(row, 'H'), at(row, 'V')), 6)
      expect(at(row, 'V2')).toBeLessThan(0.01)
    }
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
