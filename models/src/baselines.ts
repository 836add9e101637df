// The word-list-only scorer the report compares against (what TOOLCHAIN.md's first baseline was
// beaten by): each label's score from the dense signal slots alone, no learning.
import { featurizeSparse, SIGNAL, type FeaturizerConfig } from './featurize'
import { LABELS, labelIndex } from './labels'

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
