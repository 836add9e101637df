// The whole path from text to decision, given a way to run the ONNX model. Pure: the Worker passes
// a runner over its onnxruntime-web session, the CLI one over Node's, so both share every step.
import type { ClassifierMetadata } from './artifact'
import { decide, type ModerationResult } from './decide'
import { featurizeBatch } from './featurize'

/** Runs the model on row-major features [rows, featureLength]; returns scores [rows, 8]. */
export type RunModel = (features: Float32Array, rows: number) => Promise<Float32Array>

export interface ModeratedText extends ModerationResult {
  model: string
}

export async function moderateTexts(
  texts: readonly string[],
  metadata: ClassifierMetadata,
  run: RunModel,
): Promise<ModeratedText[]> {
  if (texts.length === 0) return []
  const width = metadata.labels.length
  const scores = await run(featurizeBatch(texts, metadata.featurizer), texts.length)
  return texts.map((_, row) => ({
    ...decide(scores.subarray(row * width, (row + 1) * width), metadata.thresholds),
    model: metadata.version,
  }))
}
