// Comparisons the report needs: a word-list-only scorer (what TOOLCHAIN.md's first baseline was
// beaten by) and the out-of-domain Jigsaw check. Node only (training time).
import { TRAINED_LABELS, type Example, type OutOfDomainRow } from './datasets'
import type { Thresholds } from './decide'
import { anyViolationAuc, knownPairs, type Scored } from './evaluate'
import { featurizeSparse, SIGNAL, type FeaturizerConfig } from './featurize'
import { LABELS, labelIndex, type Label } from './labels'
import { forwardSparse, type LinearModel } from './linear'
import { rocAuc } from './metrics'

/** Each label's score from word lists alone (the dense signal slots), no learning. */
export function wordListScores(text: string, config: FeaturizerConfig): Float64Array {
  const x = featurizeSparse(text, { ...config, wordLists: true })
  const slot = (s: number): number => {
    const at = x.indices.indexOf(config.hashBuckets + s)
    return at < 0 ? 0 : (x.values[at] ?? 0)
  }
  const scores = new Float64Array(LABELS.length)
  scores[labelIndex('S')] = slot(SIGNAL.sexual)
  scores[labelIndex('H')] = slot(SIGNAL.slurs)
  scores[labelIndex('V')] = slot(SIGNAL.threat)
  scores[labelIndex('HR')] =
    Math.max(slot(SIGNAL.profanity), slot(SIGNAL.slurs)) * slot(SIGNAL.secondPerson)
  scores[labelIndex('SH')] = slot(SIGNAL.selfHarm)
  return scores
}

export interface WordListBaseline {
  perLabel: Record<Label, number>
  anyAuc: number
}

export function wordListBaseline(
  test: readonly Example[],
  config: FeaturizerConfig,
): WordListBaseline {
  const scored: Scored[] = test.map((e) => ({
    scores: wordListScores(e.text, config),
    targets: e.targets,
  }))
  const perLabel = {} as Record<Label, number>
  for (const label of TRAINED_LABELS) {
    const { s, y } = knownPairs(scored, labelIndex(label))
    perLabel[label] = rocAuc(s, y)
  }
  return { perLabel, anyAuc: anyViolationAuc(scored, TRAINED_LABELS) }
}

export interface OutOfDomain {
  rows: number
  toxic: number
  modelAuc: number
  wordListAuc: number
  flaggedToxic: number
  flaggedClean: number
}

export function outOfDomain(
  rows: readonly OutOfDomainRow[],
  model: LinearModel,
  config: FeaturizerConfig,
  thresholds: Thresholds,
): OutOfDomain {
  const ks = TRAINED_LABELS.map(labelIndex)
  const labels = rows.map((r) => (r.toxic ? 1 : 0))
  const modelScores = rows.map((r) => forwardSparse(model, featurizeSparse(r.text, config)))
  const flagged = modelScores.map((s) =>
    TRAINED_LABELS.some((l) => {
      const hold = thresholds[l].hold
      return hold !== null && (s[labelIndex(l)] ?? 0) >= hold
    }),
  )
  const wordLists = rows.map((r) => {
    const s = wordListScores(r.text, config)
    return Math.max(...ks.map((k) => s[k] ?? 0))
  })
  return {
    rows: rows.length,
    toxic: labels.filter((y) => y === 1).length,
    modelAuc: rocAuc(
      modelScores.map((s) => Math.max(...ks.map((k) => s[k] ?? 0))),
      labels,
    ),
    wordListAuc: rocAuc(wordLists, labels),
    flaggedToxic: flagged.filter((f, i) => f && labels[i] === 1).length,
    flaggedClean: flagged.filter((f, i) => f && labels[i] === 0).length,
  }
}
