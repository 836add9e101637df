// The corpus featurised once for every fold and variant, and scored the way the Worker scores
// a text: every piece `scoredPieces` gives, the worst score per label counting.
import type { Example } from './datasets'
import type { Scored } from './evaluate'
import { featurizeSparse, SIGNAL, type FeaturizerConfig, type SparseFeatures } from './featurize'
import { LABELS } from './labels'
import { forwardSparse, poolEmbedding, type Embedding, type HybridModel } from './model'
import { scoredPieces } from './moderate'

export interface Featurised {
  examples: Example[]
  // What training reads: the whole text.
  x: SparseFeatures[]
  pooled: Float64Array[]
  // What scoring reads when it differs from x: every piece the Worker scores (`scoredPieces`).
  pieces: (SparseFeatures[] | null)[]
}

/** An example's scores as the Worker computes them: the worst over its scored pieces. */
export function scoreOf(model: HybridModel, data: Featurised, i: number): Float64Array {
  return worstOf(model, data.pieces[i] ?? [data.x[i] as SparseFeatures])
}

function worstOf(model: HybridModel, pieces: readonly SparseFeatures[]): Float64Array {
  const worst = new Float64Array(LABELS.length)
  for (const piece of pieces) {
    const s = forwardSparse(model, piece)
    for (let k = 0; k < worst.length; k++) worst[k] = Math.max(worst[k] ?? 0, s[k] ?? 0)
  }
  return worst
}

export function scoreRows(model: HybridModel, data: Featurised, idx: readonly number[]): Scored[] {
  return idx.map((i) => ({
    scores: scoreOf(model, data, i),
    targets: (data.examples[i] as Example).targets,
  }))
}

export function featurise(
  examples: Example[],
  config: FeaturizerConfig,
  embedding: Embedding,
): Featurised {
  const x = examples.map((e) => featurizeSparse(e.text, config))
  const pieces = examples.map((e) => {
    const texts = scoredPieces(e.text, config)
    return texts.length > 1 ? texts.map((t) => featurizeSparse(t, config)) : null
  })
  return { examples, x, pooled: x.map((f) => poolEmbedding(embedding, f.tokens)), pieces }
}

export /** The same rows without the expanded-word-list slots (for variants that do not use them). */
function withoutGroups(data: Featurised, config: FeaturizerConfig): Featurised {
  const from = config.hashBuckets + SIGNAL.firstGroup
  const to = config.hashBuckets + config.signalSlots
  const strip = (f: SparseFeatures): SparseFeatures => {
    const keep = [...f.indices]
      .map((ix, i) => (ix >= from && ix < to ? -1 : i))
      .filter((i) => i >= 0)
    return {
      indices: Int32Array.from(keep.map((i) => f.indices[i] ?? 0)),
      values: Float32Array.from(keep.map((i) => f.values[i] ?? 0)),
      tokens: f.tokens,
    }
  }
  return {
    ...data,
    x: data.x.map(strip),
    pieces: data.pieces.map((p) => p?.map(strip) ?? null),
  }
}

/** One text scored as the Worker scores it (for sets outside the featurised corpus). */
export function scoreText(
  model: HybridModel,
  text: string,
  config: FeaturizerConfig,
): Float64Array {
  return worstOf(
    model,
    scoredPieces(text, config).map((t) => featurizeSparse(t, config)),
  )
}
