// Development only: TRAIN_EXPERIMENT='{"options": {...}, "variants": ["..."], "losoOnly": true}'
// changes what `npm run train:comments` does (train.ts), for comparing choices on the held-out
// folds; with losoOnly it stops after the leave-one-source-out table and writes nothing.
import { writeFileSync } from 'node:fs'
import type { CalibrationTargets } from './calibrate'
import type { Example } from './datasets'
import type { Scored } from './evaluate'
import type { FeaturizerConfig } from './featurize'
import type { TrainOptions } from './model'
import type { ClusterOptions } from './word-clusters'

export interface Experiment {
  options?: Partial<TrainOptions>
  variants?: string[]
  folds?: string[]
  /** Sources held out in turn instead of the public ones (e.g. one team writer's negatives). */
  heldOut?: string[]
  losoOnly?: boolean
  /** Keep every n-th training row (smoke runs of the whole pipeline). */
  sample?: number
  /** Overrides of the threshold calibration's targets. */
  calibration?: Partial<CalibrationTargets>
  /** Sources left out entirely (e.g. to compare with and without a new team file). */
  exclude?: string[]
  /** Overrides SENTENCES_FROM (null: texts are scored whole). */
  sentencesFrom?: number | null
  /**
   * Path prefix: each fold's held-out rows with their scores are written to
   * `<prefix>-<variant>-<source>.jsonl` (JSON lines), so several variants in one run do not
   * overwrite each other's files.
   */
  dump?: string
  /** Overrides of the shipped word-vector table's size (TABLE in train.ts). */
  table?: { words?: number; dims?: number }
  /** Overrides of the word clusters' options (CLUSTERS). */
  clusters?: Partial<ClusterOptions>
  /** Overrides of the featuriser's settings (e.g. the number of hashed buckets). */
  featurizer?: Partial<
    Pick<
      FeaturizerConfig,
      'hashBuckets' | 'charNgramMin' | 'charNgramMax' | 'sentenceContext' | 'addresseeWindow'
    >
  >
}

function readExperiment(): Experiment {
  const raw = process.env.TRAIN_EXPERIMENT
  if (raw === undefined || raw === '') return {}
  return JSON.parse(raw) as Experiment
}

export const EXPERIMENT: Experiment = readExperiment()

/** A held-out fold's rows with their scores, one JSON line each, to look at its errors. */
export function dumpFold(
  prefix: string,
  variant: string,
  source: string,
  examples: readonly Example[],
  scored: readonly Scored[],
  pieceScores: readonly (readonly ArrayLike<number>[])[],
): void {
  const round = (s: ArrayLike<number>) => Array.from(s, (v) => +v.toFixed(4))
  const lines = scored.map((r, at) =>
    JSON.stringify({
      text: examples[at]?.text,
      targets: examples[at]?.targets,
      scores: round(r.scores),
      // Each scored piece's own scores (whole text first), to compare ways of combining them.
      pieces: (pieceScores[at] ?? []).map(round),
    }),
  )
  const slug = variant.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
  writeFileSync(`${prefix}-${slug}-${source}.jsonl`, lines.join('\n'))
}
