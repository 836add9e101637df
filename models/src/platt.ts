// Platt scaling: each head's logits mapped to calibrated probabilities on a validation split,
// then folded into the model's weights so the shipped ONNX graph outputs them directly.
import { K, sigmoid, type HybridModel } from './model'

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

/** Folds per-column Platt parameters into the model: sigmoid(a*z+b) becomes sigmoid(z'). */
export function foldCalibration(
  model: HybridModel,
  platt: readonly (Platt | undefined)[],
): HybridModel {
  const weightScales = Float32Array.from(model.weightScales)
  const bias = Float32Array.from(model.bias)
  const mlp = model.mlp === null ? null : { ...model.mlp, w2: Float32Array.from(model.mlp.w2) }
  platt.forEach((p, k) => {
    if (p === undefined) return
    weightScales[k] = p.a * (model.weightScales[k] ?? 0)
    bias[k] = p.a * (model.bias[k] ?? 0) + p.b
    if (mlp !== null) {
      for (let j = 0; j < mlp.hidden; j++) mlp.w2[j * K + k] = p.a * (mlp.w2[j * K + k] ?? 0)
    }
  })
  return { ...model, weightScales, bias, mlp }
}
