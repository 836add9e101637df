// The classifier: a linear model over the hashed n-grams and word-list signals, plus a small network
// over pretrained word vectors (mean- and max-pooled -> hidden ReLU layer), summed into one logit per
// label and trained jointly, end to end. Both parts ship int8-quantised; the forward pass here is the
// reference the ONNX graph must reproduce (onnx-export.ts), including the derived S3 column.
import type { Targets } from './datasets'
import type { SparseFeatures } from './featurize'
import { LABELS, labelIndex } from './labels'
import { seededRandom, shuffleInPlace } from './split'

export const K = LABELS.length
const S = labelIndex('S')
const S3 = labelIndex('S3')

/** Word vectors as int8 with one scale per row. Row 0 is padding (all zero). */
export interface Embedding {
  rows: number
  dims: number
  table: Int8Array
  scales: Float32Array
}

/** pooled [2*dims] -> ReLU(pooled W1 + b1) [hidden] -> W2 [hidden, K] (added to the logits). */
export interface Mlp {
  hidden: number
  w1: Float32Array
  b1: Float32Array
  w2: Float32Array
}

export interface HybridModel {
  /** Width of the linear part of the input (hashed buckets + signals). */
  linearLength: number
  /** Word-id slots after the linear part. */
  tokenSlots: number
  /** Linear weights, row-major [linearLength, K], int8 with one scale per column. */
  weights: Int8Array
  weightScales: Float32Array
  bias: Float32Array
  /** Feature index of the minor signal, used to derive S3 = S * minor. */
  minorFeature: number
  embedding: Embedding | null
  mlp: Mlp | null
}

/** Examples per Adam step of the word-vector network. */
const MLP_BATCH = 16

export interface TrainingRow {
  x: SparseFeatures
  targets: Targets
  weight: number
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
}

// Dequantised linear weights, built once per model object (the ONNX graph does the same Cast * scale).
const dequantised = new WeakMap<HybridModel, Float32Array>()

function linearWeights(model: HybridModel): Float32Array {
  let w = dequantised.get(model)
  if (w === undefined) {
    w = new Float32Array(model.weights.length)
    for (let i = 0; i < w.length; i++)
      w[i] = (model.weights[i] ?? 0) * (model.weightScales[i % K] ?? 0)
    dequantised.set(model, w)
  }
  return w
}

/** Mean (over the given ids) and max (floored at 0) of the dequantised vectors: [2*dims]. */
export function poolEmbedding(embedding: Embedding, tokens: Int32Array): Float64Array {
  const { dims, table, scales } = embedding
  const pooled = new Float64Array(2 * dims)
  for (const id of tokens) {
    const scale = scales[id] ?? 0
    for (let d = 0; d < dims; d++) {
      const v = Math.fround((table[id * dims + d] ?? 0) * scale)
      pooled[d] = (pooled[d] ?? 0) + v
      if (v > (pooled[dims + d] ?? 0)) pooled[dims + d] = v
    }
  }
  const count = Math.max(1, tokens.length)
  for (let d = 0; d < dims; d++) pooled[d] = (pooled[d] ?? 0) / count
  return pooled
}

function mlpLogits(mlp: Mlp, pooled: ArrayLike<number>, z: Float64Array): void {
  const { hidden, w1, b1, w2 } = mlp
  const inputs = pooled.length
  for (let j = 0; j < hidden; j++) {
    let a = b1[j] ?? 0
    for (let p = 0; p < inputs; p++) a += (pooled[p] ?? 0) * (w1[p * hidden + j] ?? 0)
    if (a <= 0) continue
    for (let k = 0; k < K; k++) z[k] = (z[k] ?? 0) + a * (w2[j * K + k] ?? 0)
  }
}

/** Raw logits per column (float64 accumulation over the float32 parameters). */
export function logitsSparse(model: HybridModel, x: SparseFeatures): Float64Array {
  const z = Float64Array.from(model.bias)
  const w = linearWeights(model)
  for (let i = 0; i < x.indices.length; i++) {
    const row = (x.indices[i] ?? 0) * K
    const v = x.values[i] ?? 0
    for (let k = 0; k < K; k++) z[k] = (z[k] ?? 0) + v * (w[row + k] ?? 0)
  }
  if (model.embedding !== null && model.mlp !== null) {
    mlpLogits(model.mlp, poolEmbedding(model.embedding, x.tokens), z)
  }
  return z
}

/** The derived column: S3 = S * minor signal. Mirrors the ONNX graph. */
export function applyDerivedRules(probs: Float64Array, minor: number): Float64Array {
  probs[S3] = (probs[S] ?? 0) * minor
  return probs
}

/** Calibrated scores, the reference for ONNX `scores`. */
export function forwardSparse(model: HybridModel, x: SparseFeatures): Float64Array {
  const probs = logitsSparse(model, x).map(sigmoid)
  let minor = 0
  for (let i = 0; i < x.indices.length; i++) {
    if (x.indices[i] === model.minorFeature) minor = x.values[i] ?? 0
  }
  return applyDerivedRules(probs, minor)
}

// ---------------------------------------------------------------------------------------------
// Training (Node side only, but pure).

export interface TrainOptions {
  epochs: number
  learningRate: number
  l2: number
  seed: number
  /** Heads to fit; other columns keep weight 0 and bias `inactiveBias`. */
  heads: readonly number[]
  inactiveBias: number
  /** Hidden units of the word-vector network; 0 trains the linear part alone. */
  hidden: number
  mlpLearningRate: number
  /**
   * Probability of training an example without the n-gram part, so the word-vector network must
   * learn to score on its own and does not lean on n-grams that only exist in one source.
   */
  dropLinear: number
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

/** Float parameters during training; quantised by `finishModel`. */
export interface FloatModel {
  linearLength: number
  weights: Float64Array
  bias: Float64Array
  /** Standardised-input MLP (w1 over (pooled - mean) / sd), folded back at the end. */
  mlp: { hidden: number; w1: Float64Array; b1: Float64Array; w2: Float64Array } | null
  mean: Float64Array
  sd: Float64Array
}

/** Adam state for one dense parameter array. */
class Adam {
  private m: Float64Array
  private v: Float64Array
  private t = 0
  constructor(
    private readonly params: Float64Array,
    private readonly lr: number,
  ) {
    this.m = new Float64Array(params.length)
    this.v = new Float64Array(params.length)
  }
  step(grad: Float64Array): void {
    this.t++
    const b1 = 0.9
    const b2 = 0.999
    const c1 = 1 - b1 ** this.t
    const c2 = 1 - b2 ** this.t
    for (let i = 0; i < grad.length; i++) {
      const g = grad[i] ?? 0
      if (g === 0 && (this.m[i] ?? 0) === 0) continue
      const m = b1 * (this.m[i] ?? 0) + (1 - b1) * g
      const v = b2 * (this.v[i] ?? 0) + (1 - b2) * g * g
      this.m[i] = m
      this.v[i] = v
      this.params[i] = (this.params[i] ?? 0) - (this.lr * (m / c1)) / (Math.sqrt(v / c2) + 1e-8)
    }
  }
}

/**
 * Joint training: logit = linear(n-grams) + MLP(pooled vectors). AdaGrad on the sparse linear
 * weights (L2 on the weights each example touches), Adam on the network, weighted logistic loss per
 * known target. `pooled` holds each row's pooled vector (null: linear part only).
 */
export function trainHybrid(
  rows: readonly TrainingRow[],
  pooled: readonly Float64Array[] | null,
  linearLength: number,
  options: TrainOptions,
): FloatModel {
  const weights = new Float64Array(linearLength * K)
  const g2 = new Float64Array(linearLength * K)
  const bias = new Float64Array(K).fill(options.inactiveBias)
  const biasG2 = new Float64Array(K)
  for (const k of options.heads) bias[k] = 0
  const posWeight = positiveWeights(rows, options.heads)
  const random = seededRandom(options.seed)

  const inputs = pooled?.[0]?.length ?? 0
  const useMlp = pooled !== null && options.hidden > 0 && inputs > 0
  const H = useMlp ? options.hidden : 0
  const mean = new Float64Array(inputs)
  const sd = new Float64Array(inputs).fill(1)
  if (useMlp) {
    for (const p of pooled) for (let i = 0; i < inputs; i++) mean[i] = (mean[i] ?? 0) + (p[i] ?? 0)
    for (let i = 0; i < inputs; i++) mean[i] = (mean[i] ?? 0) / pooled.length
    const varSum = new Float64Array(inputs)
    for (const p of pooled) {
      for (let i = 0; i < inputs; i++)
        varSum[i] = (varSum[i] ?? 0) + ((p[i] ?? 0) - (mean[i] ?? 0)) ** 2
    }
    for (let i = 0; i < inputs; i++) sd[i] = Math.sqrt((varSum[i] ?? 0) / pooled.length) + 1e-3
  }
  const w1 = new Float64Array(inputs * H)
  const b1 = new Float64Array(H)
  const w2 = new Float64Array(H * K)
  const limit1 = Math.sqrt(6 / (inputs + H || 1))
  for (let i = 0; i < w1.length; i++) w1[i] = (random() * 2 - 1) * limit1
  const limit2 = Math.sqrt(6 / (H + K))
  for (let i = 0; i < w2.length; i++) w2[i] = (random() * 2 - 1) * limit2 * 0.1
  const adamW1 = new Adam(w1, options.mlpLearningRate)
  const adamB1 = new Adam(b1, options.mlpLearningRate)
  const adamW2 = new Adam(w2, options.mlpLearningRate)
  const gW1 = new Float64Array(w1.length)
  const gB1 = new Float64Array(H)
  const gW2 = new Float64Array(w2.length)
  const xs = new Float64Array(inputs)
  const act = new Float64Array(H)
  const dAct = new Float64Array(H)

  let inBatch = 0
  const flush = (): void => {
    if (inBatch === 0) return
    adamW1.step(gW1)
    adamB1.step(gB1)
    adamW2.step(gW2)
    gW1.fill(0)
    gB1.fill(0)
    gW2.fill(0)
    inBatch = 0
  }
  const order = rows.map((_, i) => i)
  const grad = new Float64Array(K)
  const zMlp = new Float64Array(K)
  const eps = 1e-8
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random)
    for (const index of order) {
      const row = rows[index]
      if (row === undefined) continue
      const { indices, values } = row.x
      const useLinear = !(useMlp && random() < options.dropLinear)
      zMlp.fill(0)
      if (useMlp) {
        const p = pooled[index] ?? new Float64Array(inputs)
        for (let i = 0; i < inputs; i++) xs[i] = ((p[i] ?? 0) - (mean[i] ?? 0)) / (sd[i] ?? 1)
        for (let j = 0; j < H; j++) {
          let a = b1[j] ?? 0
          for (let i = 0; i < inputs; i++) a += (xs[i] ?? 0) * (w1[i * H + j] ?? 0)
          act[j] = a > 0 ? a : 0
        }
        for (let j = 0; j < H; j++) {
          const a = act[j] ?? 0
          if (a === 0) continue
          for (const k of options.heads) zMlp[k] = (zMlp[k] ?? 0) + a * (w2[j * K + k] ?? 0)
        }
      }
      grad.fill(0)
      for (const k of options.heads) {
        const y = row.targets[k]
        if (y !== 0 && y !== 1) continue
        let z = (bias[k] ?? 0) + (zMlp[k] ?? 0)
        if (useLinear) {
          for (let i = 0; i < indices.length; i++) {
            z += (values[i] ?? 0) * (weights[(indices[i] ?? 0) * K + k] ?? 0)
          }
        }
        const scale = row.weight * (y === 1 ? (posWeight[k] ?? 1) : 1)
        grad[k] = (sigmoid(z) - y) * scale
      }
      for (const k of options.heads) {
        const gk = grad[k] ?? 0
        if (gk === 0) continue
        if (useLinear) {
          for (let i = 0; i < indices.length; i++) {
            const at = (indices[i] ?? 0) * K + k
            const w = weights[at] ?? 0
            const g = gk * (values[i] ?? 0) + options.l2 * w
            const acc = (g2[at] ?? 0) + g * g
            g2[at] = acc
            weights[at] = w - (options.learningRate * g) / (Math.sqrt(acc) + eps)
          }
        }
        const acc = (biasG2[k] ?? 0) + gk * gk
        biasG2[k] = acc
        bias[k] = (bias[k] ?? 0) - (options.learningRate * gk) / (Math.sqrt(acc) + eps)
      }
      if (useMlp && grad.some((g) => g !== 0)) {
        // Gradients of the network are summed over a mini-batch; one Adam step per batch keeps the
        // dense updates cheap next to the sparse ones.
        for (let j = 0; j < H; j++) {
          const a = act[j] ?? 0
          let d = 0
          for (let k = 0; k < K; k++) {
            const gk = grad[k] ?? 0
            gW2[j * K + k] = (gW2[j * K + k] ?? 0) + gk * a
            d += gk * (w2[j * K + k] ?? 0)
          }
          const da = a > 0 ? d : 0
          dAct[j] = da
          gB1[j] = (gB1[j] ?? 0) + da
        }
        for (let i = 0; i < inputs; i++) {
          const xi = xs[i] ?? 0
          if (xi === 0) continue
          const base = i * H
          for (let j = 0; j < H; j++) gW1[base + j] = (gW1[base + j] ?? 0) + xi * (dAct[j] ?? 0)
        }
        inBatch++
        if (inBatch === MLP_BATCH) flush()
      }
    }
    flush()
  }
  return {
    linearLength,
    weights,
    bias,
    mlp: useMlp ? { hidden: H, w1, b1, w2 } : null,
    mean,
    sd,
  }
}

/** Per-column int8 quantisation of the linear weights. */
function quantiseColumns(weights: Float64Array): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(K)
  for (let k = 0; k < K; k++) {
    let max = 0
    for (let i = k; i < weights.length; i += K) max = Math.max(max, Math.abs(weights[i] ?? 0))
    scales[k] = max > 0 ? max / 127 : 1
  }
  const q = new Int8Array(weights.length)
  for (let i = 0; i < weights.length; i++) {
    q[i] = Math.max(-127, Math.min(127, Math.round((weights[i] ?? 0) / (scales[i % K] ?? 1))))
  }
  return { q, scales }
}

/** Quantises the linear part and folds the input standardisation into the first layer. */
export function finishModel(
  float: FloatModel,
  embedding: Embedding | null,
  tokenSlots: number,
  minorFeature: number,
): HybridModel {
  const { q, scales } = quantiseColumns(float.weights)
  let mlp: Mlp | null = null
  if (float.mlp !== null && embedding !== null) {
    const { hidden, w1, b1, w2 } = float.mlp
    const inputs = float.mean.length
    const fw1 = new Float32Array(inputs * hidden)
    const fb1 = new Float32Array(hidden)
    for (let j = 0; j < hidden; j++) {
      let b = b1[j] ?? 0
      for (let i = 0; i < inputs; i++) {
        const w = (w1[i * hidden + j] ?? 0) / (float.sd[i] ?? 1)
        fw1[i * hidden + j] = w
        b -= (float.mean[i] ?? 0) * w
      }
      fb1[j] = b
    }
    mlp = { hidden, w1: fw1, b1: fb1, w2: Float32Array.from(w2) }
  }
  return {
    linearLength: float.linearLength,
    tokenSlots: mlp === null ? 0 : tokenSlots,
    weights: q,
    weightScales: scales,
    bias: Float32Array.from(float.bias),
    minorFeature,
    embedding: mlp === null ? null : embedding,
    mlp,
  }
}
