// The whole path from text to decision, given a way to run the ONNX model. Pure: the Worker passes
// a runner over its onnxruntime-web session, the CLI one over Node's, so both share every step.
import type { ClassifierMetadata } from './artifact'
import { decide, type ModerationResult } from './decide'
import { featurizeBatch, type FeaturizerConfig } from './featurize'

/** Runs the model on row-major features [rows, featureLength]; returns scores [rows, 8]. */
export type RunModel = (features: Float32Array, rows: number) => Promise<Float32Array>

export interface ModeratedText extends ModerationResult {
  model: string
}

/**
 * A text cut into pieces of at most `maxChars` characters, at spaces where it can be. The
 * featuriser reads only a text's first `maxChars` characters, so without this the end of a long
 * description (2,000 characters allowed) would never be read.
 */
export function readablePieces(text: string, maxChars: number): string[] {
  const pieces: string[] = []
  let rest = text.trim()
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars)
    // A piece of one unbroken "word" is cut where it must be.
    const cut = space > maxChars / 2 ? space : maxChars
    pieces.push(rest.slice(0, cut))
    rest = rest.slice(cut).trim()
  }
  pieces.push(rest)
  return pieces
}

/**
 * The sentences of a piece when it has more than one (ends of sentences, line breaks); none
 * otherwise. Fragments without a letter (emoji, "!!!") are not sentences.
 */
export function sentencesOf(piece: string): string[] {
  const parts = piece
    .split(/(?<=[.!?\u2026])\s+|\s*\n+\s*/u)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s))
  return parts.length > 1 ? parts : []
}

/** One readable piece of a text and, when the text is long, its sentences. */
export interface ScoredPiece {
  text: string
  sentences: string[]
}

/**
 * What is scored for one text; its scores are the worst over these (`worstOverPieces`).
 * Training scores its evaluation rows through this too, so calibrated thresholds mean the same
 * in the Worker.
 */
export function scoredPieces(text: string, featurizer: FeaturizerConfig): ScoredPiece[] {
  const from = featurizer.sentencesFrom
  const long = from !== undefined && text.trim().length >= from
  return readablePieces(text, featurizer.maxChars).map((piece) => ({
    text: piece,
    sentences: long ? sentencesOf(piece) : [],
  }))
}

/** The texts the model scores for these pieces, in the order `worstOverPieces` reads them. */
export function piecesInOrder(pieces: readonly ScoredPiece[]): string[] {
  return pieces.flatMap((p) => [p.text, ...p.sentences])
}

const logit = (p: number): number => {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p))
  return Math.log(q / (1 - q))
}
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))

/**
 * A text's score per label: the worst over its pieces read whole and over their sentences. A
 * sentence is read partly in its piece's context: it scores sigmoid((1 - c) * logit(sentence)
 * + c * logit(piece)), c = `featurizer.sentenceContext[label]` (0 or absent: the sentence
 * alone). Out of context, one sentence of a long post about grief or a hospital visit looks like
 * self-harm or a threat far more often than the post does. `rowAt(i)` is the score row of the
 * i-th text of `piecesInOrder(pieces)`.
 */
export function worstOverPieces(
  pieces: readonly ScoredPiece[],
  rowAt: (i: number) => ArrayLike<number>,
  width: number,
  featurizer: FeaturizerConfig,
): Float64Array {
  const context = featurizer.sentenceContext
  const worst = new Float64Array(width)
  let row = 0
  for (const piece of pieces) {
    const whole = rowAt(row++)
    for (let label = 0; label < width; label++) {
      worst[label] = Math.max(worst[label] ?? 0, whole[label] ?? 0)
    }
    for (let s = 0; s < piece.sentences.length; s++) {
      const sentence = rowAt(row++)
      for (let label = 0; label < width; label++) {
        const c = context?.[label] ?? 0
        const alone = sentence[label] ?? 0
        const read =
          c === 0 ? alone : sigmoid((1 - c) * logit(alone) + c * logit(whole[label] ?? 0))
        worst[label] = Math.max(worst[label] ?? 0, read)
      }
    }
  }
  return worst
}

export async function moderateTexts(
  texts: readonly string[],
  metadata: ClassifierMetadata,
  run: RunModel,
): Promise<ModeratedText[]> {
  if (texts.length === 0) return []
  const width = metadata.labels.length
  const piecesOf = texts.map((text) => scoredPieces(text, metadata.featurizer))
  const all = piecesOf.flatMap(piecesInOrder)
  const scores = await run(featurizeBatch(all, metadata.featurizer), all.length)
  let first = 0
  return piecesOf.map((pieces) => {
    const from = first
    first += piecesInOrder(pieces).length
    const rowAt = (i: number) => scores.subarray((from + i) * width, (from + i + 1) * width)
    const strongest = worstOverPieces(pieces, rowAt, width, metadata.featurizer)
    return { ...decide(strongest, metadata.thresholds), model: metadata.version }
  })
}
