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

/**
 * What is scored for one text; its scores are the worst over these. Training scores its
 * evaluation rows through this too, so calibrated thresholds mean the same in the Worker.
 */
export function scoredPieces(text: string, featurizer: FeaturizerConfig): string[] {
  const pieces = readablePieces(text, featurizer.maxChars)
  const from = featurizer.sentencesFrom
  if (from === undefined || text.trim().length < from) return pieces
  return pieces.flatMap((piece) => [piece, ...sentencesOf(piece)])
}

export async function moderateTexts(
  texts: readonly string[],
  metadata: ClassifierMetadata,
  run: RunModel,
): Promise<ModeratedText[]> {
  if (texts.length === 0) return []
  const width = metadata.labels.length
  const piecesOf = texts.map((text) => scoredPieces(text, metadata.featurizer))
  const all = piecesOf.flat()
  const scores = await run(featurizeBatch(all, metadata.featurizer), all.length)
  let row = 0
  return piecesOf.map((pieces) => {
    // A long text is as bad as its worst piece.
    const strongest = new Float32Array(width)
    for (let p = 0; p < pieces.length; p++, row++) {
      for (let label = 0; label < width; label++) {
        strongest[label] = Math.max(strongest[label] ?? 0, scores[row * width + label] ?? 0)
      }
    }
    return { ...decide(strongest, metadata.thresholds), model: metadata.version }
  })
}
