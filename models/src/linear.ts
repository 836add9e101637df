// One logistic regression per category on the hashed features, trained with AdaGrad, plus Platt
// calibration folded into the weights. The forward pass here is the reference the ONNX graph must
// reproduce (see onnx-export.ts): same rules for the derived S3 and H2 columns.
import type { Targets } from './datasets'
import type { SparseFeatures } from './featurize'
import { LABELS, labelIndex } from './labels'
import { seededRandom, shuffleInPlace } from './split'

export const K = LABELS.length
const S = labelIndex('S')
const H = labelIndex('H')
const V = labelIndex('V')
const S3 = labelIndex('S3')
const H2 = labelIndex('H2')

/** Weights row-major [featureLength, K], exactly the ONNX initializer layout. */
export interface LinearModel {
  featureLength: number
  weights: Float32Array
  bias: Float32Array
  /** Feature index of the minor signal, used to derive S3 = S * minor. */
  minorFeature: number
}

export interface TrainingRow {
  x: SparseFeatures
  targets: Targets
  weight: number
}

export interface TrainOptions {
  epochs: number
  learningRate: number
  l2: number
  seed: number
  /** Heads to fit; other columns keep weight 0 and bias `inactiveBias`. */
  heads: readonly number[]
  inactiveBias: number
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
}

/** Raw logits per column, float64 accumulation over the float32 weights. */
export function logitsSparse(model: LinearModel, x: SparseFeatures): Float64Array {
  const z = Float64Array.from(model.bias)
  for (let i = 0; i < x.indices.length; i++) {
    const row = (x.indices[i] ?? 0) * K
    const v = x.values[i] ?? 0
    for (let k = 0; k < K; k++) z[k] = (z[k] ?? 0) + v * (model.weights[row + k] ?? 0)
  }
  return z
}

/** The derived columns: S3 = S * minor signal; H2 = min(H, V). Mirrors the ONNX graph. */
export function applyDerivedRules(probs: Float64Array, minor: number): Float64Array {
  probs[S3] = (probs[S] ?? 0) * minor
  probs[H2] = Math.min(probs[H] ?? 0, probs[V] ?? 0)
  return probs
}

/** Calibrated scores, the reference for ONNX `scores`. */
export function forwardSparse(model: LinearModel, x: SparseFeatures): Float64Array {
  const z = logitsSparse(model, x)
  const probs = z.map(sigmoid)
  let minor = 0
  for (let i = 0; i < x.indices.length; i++) {
    if (x.indices[i] === model.minorFeature) minor = x.values[i] ?? 0
  }
  return applyDerivedRules(probs, minor)
}

function positiveWeights(rows: readonly TrainingRow[], heads: readonly number[]): Float64Array {
  const w = new Float64Array(K).fill(1)
  for (const k of heads) {
    let pos = 0
    let neg = 0
    for (const r of rows) {
      if (r.targets[k] === 1) pos += r.weight
      else if (r.targets[k] === 0) neg += r.weight
    }
    // Square-root rebalancing, capped: rare heads get more pull without drowning in noise.
    w[k] = pos > 0 ? Math.min(10, Math.max(1, Math.sqrt(neg / pos))) : 1
  }
  return w
}

/** AdaGrad on the weighted logistic loss, L2 applied to the weights each example touches. */
export function trainLinear(
  rows: readonly TrainingRow[],
  featureLength: number,
  minorFeature: number,
  options: TrainOptions,
): LinearModel {
  const weights = new Float64Array(featureLength * K)
  const g2 = new Float64Array(featureLength * K)
  const bias = new Float64Array(K).fill(options.inactiveBias)
  const biasG2 = new Float64Array(K)
  for (const k of options.heads) bias[k] = 0
  const posWeight = positiveWeights(rows, options.heads)
  const random = seededRandom(options.seed)
  const order = rows.map((_, i) => i)
  const grad = new Float64Array(K)
  const eps = 1e-8
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random)
    for (const index of order) {
      const row = rows[index]
      if (row === undefined) continue
      const { indices, values } = row.x
      grad.fill(0)
      for (const k of options.heads) {
        const y = row.targets[k]
        if (y !== 0 && y !== 1) continue
        let z = bias[k] ?? 0
        for (let i = 0; i < indices.length; i++) {
          z += (values[i] ?? 0) * (weights[(indices[i] ?? 0) * K + k] ?? 0)
        }
        const scale = row.weight * (y === 1 ? (posWeight[k] ?? 1) : 1)
        grad[k] = (sigmoid(z) - y) * scale
      }
      for (const k of options.heads) {
        const gk = grad[k] ?? 0
        if (gk === 0) continue
        for (let i = 0; i < indices.length; i++) {
          const at = (indices[i] ?? 0) * K + k
          const w = weights[at] ?? 0
          const g = gk * (values[i] ?? 0) + options.l2 * w
          const acc = (g2[at] ?? 0) + g * g
          g2[at] = acc
          weights[at] = w - (options.learningRate * g) / (Math.sqrt(acc) + eps)
        }
        const acc = (biasG2[k] ?? 0) + gk * gk
        biasG2[k] = acc
        bias[k] = (bias[k] ?? 0) - (options.learningRate * gk) / (Math.sqrt(acc) + eps)
      }
    }
  }
  return {
    featureLength,
    weights: Float32Array.from(weights),
    bias: Float32Array.from(bias),
    minorFeature,
  }
}

export interface Platt {
  a: number
  b: number
}

/**
 * Platt scaling on validation logits with Platt's smoothed targets (robust with few positives).
 * Newton's method on (a, b); a is kept positive so the ranking never flips.
 */
export function fitPlatt(logits: readonly number[], labels: readonly number[]): Platt {
  const pos = labels.filter((y) => y === 1).length
  const neg = labels.length - pos
  if (pos === 0 || neg === 0) return { a: 1, b: 0 }
  const hi = (pos + 1) / (pos + 2)
  const lo = 1 / (neg + 2)
  let a = 1
  let b = 0
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0
    let gb = 0
    let haa = 1e-9
    let hab = 0
    let hbb = 1e-9
    logits.forEach((z, i) => {
      const t = labels[i] === 1 ? hi : lo
      const p = sigmoid(a * z + b)
      const d = p - t
      const w = p * (1 - p)
      ga += d * z
      gb += d
      haa += w * z * z
      hab += w * z
      hbb += w
    })
    const det = haa * hbb - hab * hab
    if (Math.abs(det) < 1e-12) break
    const da = (hbb * ga - hab * gb) / det
    const db = (haa * gb - hab * ga) / det
    a -= da
    b -= db
    if (Math.abs(da) + Math.abs(db) < 1e-10) break
  }
  return { a: Math.max(a, 1e-3), b }
}

/** Folds per-column Platt parameters into the weights: sigmoid(a*z+b) becomes sigmoid(z'). */
export function foldCalibration(
  model: LinearModel,
  platt: readonly (Platt | undefined)[],
): LinearModel {
  const weights = Float32Array.from(model.weights)
  const bias = Float32Array.from(model.bias)
  platt.forEach((p, k) => {
    if (p === undefined) return
    for (let i = 0; i < model.featureLength; i++) {
      weights[i * K + k] = p.a * (model.weights[i * K + k] ?? 0)
    }
    bias[k] = p.a * (model.bias[k] ?? 0) + p.b
  })
  return { ...model, weights, bias }
}
