// The corpus featurised once for every fold and variant, and scored the way the Worker scores
// a text: every piece `scoredPieces` gives, the worst score per label counting.
import type { Example } from './datasets'
import type { Scored } from './evaluate'
import { featurizeSparse, SIGNAL, type FeaturizerConfig, type SparseFeatures } from './featurize'
import { LABELS } from './labels'
import { forwardSparse, poolEmbedding, type Embedding, type HybridModel } from './model'
import { piecesInOrder, scoredPieces, worstOverPieces, type ScoredPiece } from './moderate'

export interface Featurised {
  examples: Example[]
  // What training reads: the whole text.
  x: SparseFeatures[]
  pooled: Float64Array[]
  // What scoring reads when it differs from x: every piece the Worker scores (`scoredPieces`).
  pieces: (Pieces | null)[]
  config: FeaturizerConfig
}

interface Pieces {
  layout: ScoredPiece[]
  // Features of `piecesInOrder(layout)`.
  features: SparseFeatures[]
}

/** An example's scores as the Worker computes them: the worst over its scored pieces. */
export function scoreOf(model: HybridModel, data: Featurised, i: number): Float64Array {
  const pieces = data.pieces[i]
  if (pieces === null || pieces === undefined) {
    return forwardSparse(model, data.x[i] as SparseFeatures)
  }
  return worstOf(model, pieces, data.config)
}

function worstOf(model: HybridModel, pieces: Pieces, config: FeaturizerConfig): Float64Array {
  const rowAt = (i: number) => forwardSparse(model, pieces.features[i] as SparseFeatures)
  return worstOverPieces(pieces.layout, rowAt, LABELS.length, config)
}

function piecesOf(text: string, config: FeaturizerConfig): Pieces {
  const layout = scoredPieces(text, config)
  return { layout, features: piecesInOrder(layout).map((t) => featurizeSparse(t, config)) }
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
    const layout = scoredPieces(e.text, config)
    return layout.length > 1 || (layout[0]?.sentences.length ?? 0) > 0
      ? piecesOf(e.text, config)
      : null
  })
  const pooled = x.map((f) => poolEmbedding(embedding, f.tokens))
  return { examples, x, pooled, pieces, config }
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
    pieces: data.pieces.map((p) => (p === null ? null : { ...p, features: p.features.map(strip) })),
  }
}

/** One text scored as the Worker scores it (for sets outside the featurised corpus). */
export function scoreText(
  model: HybridModel,
  text: string,
  config: FeaturizerConfig,
): Float64Array {
  return worstOf(model, piecesOf(text, config), config)
}
