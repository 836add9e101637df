// One model fitted and calibrated: the training options, the variants compared out of source, and
// fit() (train on some rows, Platt-scale and choose thresholds on others), shared by the
// leave-one-source-out folds (loso.ts) and the shipped model (train.ts).
import {
  CALIBRATION as DEFAULT_CALIBRATION,
  chooseThresholds,
  countedLabels,
  negativeGroup,
  type Calibration,
  type CalibrationTargets,
} from './calibrate'
import { TRAINED_LABELS, type Example } from './datasets'
import { EXPERIMENT } from './experiment'
import { linearLength, SIGNAL, type FeaturizerConfig, type SparseFeatures } from './featurize'
import { scoreOf, type Featurised } from './featurised'
import { LABELS, labelIndex } from './labels'
import {
  finishModel,
  logitsSparse,
  trainHybrid,
  type Embedding,
  type HybridModel,
  type TrainOptions,
} from './model'
import { fitPlatt, foldCalibration, type Platt } from './platt'

export const TOKEN_SLOTS = 48
export const TRAIN: Omit<TrainOptions, 'heads'> = {
  epochs: 5,
  learningRate: 0.05,
  l2: 1e-6,
  seed: 7,
  inactiveBias: -9,
  hidden: 32,
  mlpLearningRate: 2e-3,
  dropLinear: 0,
  ...EXPERIMENT.options,
}

export const CALIBRATION: CalibrationTargets = { ...DEFAULT_CALIBRATION, ...EXPERIMENT.calibration }

export interface Variant {
  name: string
  /** The word-vector network (int8 table shipped in the model). */
  vectors: boolean
  /** Word lists grown from seeds to their nearest neighbours in the vectors (lists shipped). */
  groups: boolean
  /** Word clusters of the vectors as hashed features (the clusters' word lists shipped). */
  clusters: boolean
}
export const VARIANTS: readonly Variant[] = [
  { name: 'n-grams + word vectors', vectors: true, groups: false, clusters: false },
  { name: 'n-grams + expanded word lists', vectors: false, groups: true, clusters: false },
  { name: 'n-grams + word clusters', vectors: false, groups: false, clusters: true },
  { name: 'n-grams + word clusters + word vectors', vectors: true, groups: false, clusters: true },
  { name: 'n-grams only', vectors: false, groups: false, clusters: false },
]

/** The featurizer the variant ships with; unused parts are left out of the JSON entirely. */
export function configFor(variant: Variant, config: FeaturizerConfig): FeaturizerConfig {
  const { tokenSlots, vocabulary, wordGroups, wordClusters, ...base } = config
  return {
    ...base,
    ...(variant.vectors ? { tokenSlots, vocabulary } : {}),
    ...(variant.groups ? { wordGroups } : {}),
    ...(variant.clusters ? { wordClusters } : {}),
  }
}

export const TRAINED_INDICES = TRAINED_LABELS.map(labelIndex)

export interface Fitted {
  model: HybridModel
  calibration: Calibration
}

export function fit(
  data: Featurised,
  train: readonly number[],
  val: readonly number[],
  variant: Variant,
  embedding: Embedding,
  config: FeaturizerConfig,
): Fitted {
  const rows = train.map((i) => ({
    x: data.x[i] as SparseFeatures,
    targets: (data.examples[i] as Example).targets,
    weight: (data.examples[i] as Example).weight,
  }))
  const float = trainHybrid(
    rows,
    variant.vectors ? train.map((i) => data.pooled[i] as Float64Array) : null,
    linearLength(config),
    { ...TRAIN, heads: TRAINED_INDICES },
  )
  const minor = config.hashBuckets + SIGNAL.minor
  const raw = finishModel(float, variant.vectors ? embedding : null, TOKEN_SLOTS, minor)
  // Platt scaling per head on the validation split, folded into the weights.
  const valLogits = val.map((i) => logitsSparse(raw, data.x[i] as SparseFeatures))
  const platt: (Platt | undefined)[] = LABELS.map(() => undefined)
  for (const k of TRAINED_INDICES) {
    const z: number[] = []
    const y: number[] = []
    val.forEach((i, at) => {
      const t = (data.examples[i] as Example).targets[k]
      if (t !== 0 && t !== 1) return
      z.push(valLogits[at]?.[k] ?? 0)
      y.push(t)
    })
    platt[k] = fitPlatt(z, y)
  }
  const model = foldCalibration(raw, platt)
  const calibration = chooseThresholds(
    val.map((i) => {
      const ex = data.examples[i] as Example
      return {
        scores: scoreOf(model, data, i),
        targets: ex.targets,
        group: negativeGroup(ex.source, ex.targets),
        counts: countedLabels(ex.source, CALIBRATION),
      }
    }),
    CALIBRATION,
  )
  return { model, calibration }
}

export function indicesOf(all: readonly Example[], subset: readonly Example[]): number[] {
  const at = new Map(all.map((e, i) => [e, i]))
  return subset.map((e) => at.get(e) ?? -1).filter((i) => i >= 0)
}
