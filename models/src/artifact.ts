// The shape of models/artifacts/comment-classifier.json: everything the Worker needs besides the
// .onnx file. Pure types and a guard, importable by the Worker.
import type { Thresholds } from './decide'
import type { FeaturizerConfig } from './featurize'
import type { Label } from './labels'

export interface ClassifierMetadata {
  /** Derived from a hash of the weights, bias and thresholds: same training, same version. */
  version: string
  labels: Label[]
  input: { name: string; shape: [string, number] }
  output: { name: string; shape: [string, number] }
  featurizer: FeaturizerConfig
  thresholds: Thresholds
  /** What the thresholds were calibrated for on the validation split of the training data. */
  targets: {
    /** Largest share of team-written negatives held on validation. */
    maxHeldTeam: number
    /** Largest share of the public sets' clean rows held on validation. */
    maxHeldPublic: number
    holdFloor: number
    rejectPrecision: number
    rejectFloor: number
  }
  /** Labels without their own data and how their score is produced. */
  derived: Partial<Record<Label, string>>
}

export function isClassifierMetadata(value: unknown): value is ClassifierMetadata {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.version === 'string' &&
    Array.isArray(v.labels) &&
    typeof v.featurizer === 'object' &&
    typeof v.thresholds === 'object'
  )
}
