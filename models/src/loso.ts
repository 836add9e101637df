// Leave one source out: for each variant, train and calibrate on every source but one, then score
// all of the held-out one (and the team's evaluation set). These folds choose the shipped variant
// (train.ts); with TRAIN_EXPERIMENT they compare any other choice the same way (experiment.ts).
import { wordListScores } from './baselines'
import { REAL_SOURCES } from './corpus'
import { TRAINED_LABELS, type Example } from './datasets'
import type { Thresholds } from './decide'
import { anyViolation, categoryRow, type CategoryRow, type Scored } from './evaluate'
import { dumpFold, EXPERIMENT } from './experiment'
import { DEFAULT_FEATURIZER, type FeaturizerConfig, type SparseFeatures } from './featurize'
import { scoreRows, type Featurised } from './featurised'
import { fit, indicesOf, VARIANTS, type Variant } from './fit'
import { LABELS } from './labels'
import { forwardSparse, type Embedding } from './model'
import type { FoldResult, VariantResult } from './report'
import { splitExamples } from './split'

export interface FoldInputs {
  examples: readonly Example[]
  dataFor: (v: Variant) => { data: Featurised; evalData: Featurised }
  evalIdx: readonly number[]
  embedding: Embedding
  config: FeaturizerConfig
  log: (msg: string) => void
}

function categories(rows: readonly Scored[], t: Thresholds): CategoryRow[] {
  return TRAINED_LABELS.map((l) => categoryRow(rows, l, t))
}

function wordListAp(data: Featurised, idx: readonly number[], config: FeaturizerConfig): number {
  const rows: Scored[] = idx.map((i) => ({
    scores: wordListScores((data.examples[i] as Example).text, config),
    targets: (data.examples[i] as Example).targets,
  }))
  return anyViolation(rows, {
    ...Object.fromEntries(LABELS.map((l) => [l, { hold: null, reject: null }])),
  } as Thresholds).ap
}

export function leaveOneSourceOut(inputs: FoldInputs): VariantResult[] {
  const { examples, dataFor, evalIdx, embedding, config, log } = inputs
  const variants: VariantResult[] = []
  const only = EXPERIMENT.variants
  for (const variant of VARIANTS) {
    if (only !== undefined && !only.includes(variant.name)) continue
    const { data, evalData } = dataFor(variant)
    const folds: FoldResult[] = []
    for (const source of EXPERIMENT.heldOut ?? REAL_SOURCES) {
      if (EXPERIMENT.folds?.includes(source) === false) continue
      const rest = examples.filter((e) => e.source !== source)
      const split = splitExamples(rest, undefined, { val: 0.15, test: 0 })
      const held = examples.map((e, i) => (e.source === source ? i : -1)).filter((i) => i >= 0)
      const fitted = fit(
        data,
        indicesOf(examples, split.train),
        indicesOf(examples, split.val),
        variant,
        embedding,
        config,
      )
      const scored = scoreRows(fitted.model, data, held)
      const t = fitted.calibration.thresholds
      if (EXPERIMENT.dump !== undefined) {
        dumpFold(
          EXPERIMENT.dump,
          variant.name,
          source,
          held.map((i) => examples[i] as Example),
          scored,
          held.map((i) =>
            (data.pieces[i]?.features ?? [data.x[i] as SparseFeatures]).map((p) =>
              forwardSparse(fitted.model, p),
            ),
          ),
        )
      }
      const fold: FoldResult = {
        source,
        rows: held.length,
        any: anyViolation(scored, t),
        categories: categories(scored, t).filter((c) => c.positives > 0),
        wordListAp: wordListAp(data, held, DEFAULT_FEATURIZER),
        teamEval: anyViolation(scoreRows(fitted.model, evalData, evalIdx), t),
      }
      folds.push(fold)
      const perLabel = fold.categories
        .map(
          (c) =>
            `${c.label} AUC ${c.auc.toFixed(3)} AP ${c.ap.toFixed(3)} R ${c.recall.toFixed(2)}`,
        )
        .join('; ')
      const holds = TRAINED_LABELS.map((l) => `${l} ${(t[l].hold ?? 1).toFixed(3)}`).join(' ')
      log(
        `LOSO ${variant.name} / ${source}: any-violation AP ${fold.any.ap.toFixed(3)} AUC ${fold.any.auc.toFixed(3)}, held ${fold.any.heldRecall.toFixed(3)} of violations, ${fold.any.heldFpr.toFixed(3)} of clean; ${perLabel}; team eval AP ${fold.teamEval.ap.toFixed(3)}; hold ${holds}`,
      )
    }
    variants.push({ name: variant.name, vectors: variant.vectors, folds })
  }
  return variants
}

/** The folds' means, for comparing an experiment's choices (TRAIN_EXPERIMENT with losoOnly). */
export function logExperiment(
  variants: readonly VariantResult[],
  log: (msg: string) => void,
): void {
  log(`experiment ${JSON.stringify(EXPERIMENT)}`)
  for (const v of variants) {
    const m = v.folds.reduce((a, f) => a + f.any.ap, 0) / v.folds.length
    const te = v.folds.reduce((a, f) => a + f.teamEval.ap, 0) / v.folds.length
    const mean = (f: (x: FoldResult) => number): string =>
      (v.folds.reduce((a, x) => a + f(x), 0) / v.folds.length).toFixed(3)
    log(
      `${v.name}: mean LOSO AP ${m.toFixed(3)}; held-out sources: held ${mean((f) => f.any.heldRecall)} of violations, ${mean((f) => f.any.heldFpr)} of clean; (info) fold models' mean team-eval AP ${te.toFixed(3)}, held ${mean((f) => f.teamEval.heldRecall)} of violations, ${mean((f) => f.teamEval.heldFpr)} of benign`,
    )
  }
}
