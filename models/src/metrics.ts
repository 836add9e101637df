// Evaluation metrics over (score, label) pairs. Labels are 0/1; callers drop unknowns first.

/** ROC-AUC by the rank statistic, ties counted half. NaN when a class is missing. */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i] ?? 0] as const).sort((a, b) => a[0] - b[0])
  let positives = 0
  let negatives = 0
  let rankSum = 0
  let i = 0
  while (i < order.length) {
    let j = i
    while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++
    const midRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) {
      if (order[k]?.[1] === 1) {
        positives++
        rankSum += midRank
      } else negatives++
    }
    i = j + 1
  }
  if (positives === 0 || negatives === 0) return Number.NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}

export interface Counts {
  tp: number
  fp: number
  fn: number
}

export function countAt(scores: readonly number[], labels: readonly number[], t: number): Counts {
  const c: Counts = { tp: 0, fp: 0, fn: 0 }
  scores.forEach((s, i) => {
    const y = labels[i] ?? 0
    if (s >= t && y === 1) c.tp++
    else if (s >= t) c.fp++
    else if (y === 1) c.fn++
  })
  return c
}

export interface Prf {
  precision: number
  recall: number
  f1: number
}

export function prf({ tp, fp, fn }: Counts): Prf {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp)
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn)
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
  return { precision, recall, f1 }
}

/**
 * The lowest threshold whose flagged set reaches the target precision with at least minHits true
 * positives (the most recall we can buy at that precision). Null when no cut reaches it.
 */
export function thresholdForPrecision(
  scores: readonly number[],
  labels: readonly number[],
  target: number,
  minHits = 3,
): number | null {
  const order = scores.map((s, i) => [s, labels[i] ?? 0] as const).sort((a, b) => b[0] - a[0])
  let tp = 0
  let fp = 0
  let best: number | null = null
  for (let i = 0; i < order.length; i++) {
    const [score, y] = order[i] ?? [0, 0]
    if (y === 1) tp++
    else fp++
    const nextScore = order[i + 1]?.[0]
    if (nextScore === score) continue
    if (tp >= minHits && tp / (tp + fp) >= target) best = score
  }
  return best
}

/** The threshold with the best F1 (ties: the higher threshold). */
export function thresholdForBestF1(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i] ?? 0] as const).sort((a, b) => b[0] - a[0])
  const positives = labels.filter((y) => y === 1).length
  let tp = 0
  let fp = 0
  let best = { f1: -1, t: 0.5 }
  for (let i = 0; i < order.length; i++) {
    const [score, y] = order[i] ?? [0, 0]
    if (y === 1) tp++
    else fp++
    if (order[i + 1]?.[0] === score) continue
    const f1 = prf({ tp, fp, fn: positives - tp }).f1
    if (f1 > best.f1) best = { f1, t: score }
  }
  return best.t
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

/**
 * Average precision: the mean of precision at each positive's rank (scores tied with it counted
 * before it, the pessimistic order). NaN when there is no positive.
 */
export function averagePrecision(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i] ?? 0] as const).sort((a, b) => b[0] - a[0])
  const positives = order.filter(([, y]) => y === 1).length
  if (positives === 0) return Number.NaN
  let tp = 0
  let seen = 0
  let sum = 0
  let i = 0
  while (i < order.length) {
    let j = i
    while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++
    let groupPositives = 0
    for (let m = i; m <= j; m++) if (order[m]?.[1] === 1) groupPositives++
    seen += j - i + 1
    tp += groupPositives
    sum += groupPositives * (tp / seen)
    i = j + 1
  }
  return sum / positives
}
