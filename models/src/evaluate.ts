// Per-label and overall metrics for a scored split. Unknown targets (-1) are left out per label.
import { TRAINED_LABELS, type Targets } from './datasets'
import type { LabelThresholds, Thresholds } from './decide'
import { LABELS, labelIndex, type Label } from './labels'
import { averagePrecision, countAt, prf, rocAuc, type Counts, type Prf } from './metrics'

export interface Scored {
  scores: ArrayLike<number>
  targets: Targets
}

export interface LabelMetrics {
  label: Label
  positives: number
  negatives: number
  auc: number
  hold: Prf & Counts
  reject: (Prf & Counts) | null
}

export function knownPairs(rows: readonly Scored[], k: number): { s: number[]; y: number[] } {
  const s: number[] = []
  const y: number[] = []
  for (const r of rows) {
    const t = r.targets[k]
    if (t !== 0 && t !== 1) continue
    s.push(r.scores[k] ?? 0)
    y.push(t)
  }
  return { s, y }
}

export function labelMetrics(
  rows: readonly Scored[],
  label: Label,
  t: LabelThresholds,
): LabelMetrics {
  const { s, y } = knownPairs(rows, labelIndex(label))
  const positives = y.filter((v) => v === 1).length
  const at = (threshold: number): Prf & Counts => {
    const c = countAt(s, y, threshold)
    return { ...c, ...prf(c) }
  }
  return {
    label,
    positives,
    negatives: y.length - positives,
    auc: rocAuc(s, y),
    hold: at(t.hold ?? Number.POSITIVE_INFINITY),
    reject: t.reject === null ? null : at(t.reject),
  }
}

/** Micro F1 (pooled counts) and macro F1 (mean of per-label F1) at the hold level. */
export function averageF1(metrics: readonly LabelMetrics[]): { micro: number; macro: number } {
  const pooled = metrics.reduce(
    (acc, m) => ({ tp: acc.tp + m.hold.tp, fp: acc.fp + m.hold.fp, fn: acc.fn + m.hold.fn }),
    { tp: 0, fp: 0, fn: 0 },
  )
  const macro = metrics.reduce((sum, m) => sum + m.hold.f1, 0) / Math.max(1, metrics.length)
  return { micro: prf(pooled).f1, macro }
}

/**
 * Any-violation: score = max over the given (calibrated) labels; positive if any label is positive,
 * negative if every label is known negative, skipped otherwise.
 */
export function anyViolationAuc(rows: readonly Scored[], labels: readonly Label[]): number {
  const s: number[] = []
  const y: number[] = []
  const ks = labels.map(labelIndex)
  for (const r of rows) {
    const ts = ks.map((k) => r.targets[k])
    const positive = ts.some((t) => t === 1)
    const negative = ts.every((t) => t === 0)
    if (!positive && !negative) continue
    s.push(Math.max(...ks.map((k) => r.scores[k] ?? 0)))
    y.push(positive ? 1 : 0)
  }
  return rocAuc(s, y)
}

export type SourceCounts = Record<Label | 'OK' | 'partial' | 'total', number>

/**
 * Positives per label; OK = every trained label known negative; partial = no positive but some
 * trained label unknown (e.g. abusive without a type, or offensive with hate votes for H).
 */
export function countsBySource(
  examples: readonly { source: string; targets: Targets }[],
): Map<string, SourceCounts> {
  const out = new Map<string, SourceCounts>()
  const trained = TRAINED_LABELS.map(labelIndex)
  for (const ex of examples) {
    const row =
      out.get(ex.source) ??
      (Object.fromEntries([...LABELS, 'OK', 'partial', 'total'].map((l) => [l, 0])) as SourceCounts)
    row.total++
    LABELS.forEach((label, k) => {
      if (ex.targets[k] === 1) row[label]++
    })
    if (trained.every((k) => ex.targets[k] === 0)) row.OK++
    else if (trained.every((k) => ex.targets[k] !== 1)) row.partial++
    out.set(ex.source, row)
  }
  return out
}

/** Any-violation score (max over the labels) and label (1 any positive, 0 all known negative). */
export function anyViolationPairs(
  rows: readonly Scored[],
  labels: readonly Label[],
): { s: number[]; y: number[] } {
  const s: number[] = []
  const y: number[] = []
  const ks = labels.map(labelIndex)
  for (const r of rows) {
    const ts = ks.map((k) => r.targets[k])
    const positive = ts.some((t) => t === 1)
    const negative = ts.every((t) => t === 0)
    if (!positive && !negative) continue
    s.push(Math.max(...ks.map((k) => r.scores[k] ?? 0)))
    y.push(positive ? 1 : 0)
  }
  return { s, y }
}

/** True when any label with a hold threshold reaches it: what the Worker would hold or reject. */
export function isHeld(scores: ArrayLike<number>, thresholds: Thresholds): boolean {
  return LABELS.some((label, k) => {
    const hold = thresholds[label].hold
    return hold !== null && (scores[k] ?? 0) >= hold
  })
}

export interface CategoryRow {
  label: Label
  positives: number
  negatives: number
  auc: number
  ap: number
  /** Positives of this label at or over its hold threshold. */
  recall: number
  /** Benign rows (no positive label at all) at or over this label's hold threshold. */
  fpr: number
  benign: number
}

export function categoryRow(rows: readonly Scored[], label: Label, t: Thresholds): CategoryRow {
  const k = labelIndex(label)
  const { s, y } = knownPairs(rows, k)
  const hold = t[label].hold ?? Number.POSITIVE_INFINITY
  const positives = y.filter((v) => v === 1).length
  const caught = s.filter((v, i) => y[i] === 1 && v >= hold).length
  const benign = rows.filter((r) => !TRAINED_LABELS.some((l) => r.targets[labelIndex(l)] === 1))
  const fp = benign.filter((r) => (r.scores[k] ?? 0) >= hold).length
  return {
    label,
    positives,
    negatives: y.length - positives,
    auc: rocAuc(s, y),
    ap: averagePrecision(s, y),
    recall: positives === 0 ? Number.NaN : caught / positives,
    fpr: benign.length === 0 ? Number.NaN : fp / benign.length,
    benign: benign.length,
  }
}

export interface AnyViolation {
  positives: number
  negatives: number
  auc: number
  ap: number
  /** Share of violating rows held or rejected. */
  heldRecall: number
  /** Share of all-negative rows held or rejected. */
  heldFpr: number
}

export function anyViolation(rows: readonly Scored[], t: Thresholds): AnyViolation {
  const { s, y } = anyViolationPairs(rows, TRAINED_LABELS)
  const ks = TRAINED_LABELS.map(labelIndex)
  let pos = 0
  let neg = 0
  let heldPos = 0
  let heldNeg = 0
  for (const r of rows) {
    const ts = ks.map((k) => r.targets[k])
    const positive = ts.some((v) => v === 1)
    const negative = ts.every((v) => v === 0)
    if (!positive && !negative) continue
    const held = isHeld(r.scores, t)
    if (positive) {
      pos++
      if (held) heldPos++
    } else {
      neg++
      if (held) heldNeg++
    }
  }
  return {
    positives: pos,
    negatives: neg,
    auc: rocAuc(s, y),
    ap: averagePrecision(s, y),
    heldRecall: pos === 0 ? Number.NaN : heldPos / pos,
    heldFpr: neg === 0 ? Number.NaN : heldNeg / neg,
  }
}
