// Scores + thresholds -> moderation decision. Pure: the Worker and the CLI both call this.
import { LABEL_NAMES, LABELS, type Label } from './labels'

/** Null: this level never triggers for the label (e.g. no data to calibrate, or review-only). */
export interface LabelThresholds {
  hold: number | null
  reject: number | null
}

export type Thresholds = Record<Label, LabelThresholds>

export type Decision = 'published' | 'held' | 'rejected'

export interface Flag {
  category: Label
  score: number
  level: 'hold' | 'reject'
}

export interface ModerationResult {
  decision: Decision
  scores: Record<Label, number>
  flagged: Flag[]
  reason: string
}

export interface DecideSignals {
  /** The text mentions a minor (featurize's minor slot). Derives S3 from S if the model did not. */
  minor?: boolean
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}

function flag(category: Label, score: number, level: Flag['level']): Flag {
  return { category, score: round(score), level }
}

function describe(flags: readonly Flag[]): string {
  return flags
    .map(
      (f) =>
        `${f.level === 'reject' ? 'clearly' : 'likely'} ${LABEL_NAMES[f.category]} (${f.score.toFixed(2)})`,
    )
    .join(', ')
}

/**
 * A label is flagged at `reject` if its score reaches the reject threshold, else at `hold` if it
 * reaches the hold threshold. Any reject flag rejects; any hold flag holds; none publishes (OK is
 * "no label over its threshold", never a class of its own).
 *
 * S3 rule: S3 is S in a text that mentions a minor. It is never published automatically and never
 * settled by the machine alone: an S3 flag (or S flagged alongside a minor signal) always sends the
 * comment to human review, even when another label would reject it, so a person sees it.
 */
export function decide(
  scores: ArrayLike<number> | Partial<Record<Label, number>>,
  thresholds: Thresholds,
  signals: DecideSignals = {},
): ModerationResult {
  const byLabel = {} as Record<Label, number>
  LABELS.forEach((label, i) => {
    const value = isArrayLike(scores) ? scores[i] : scores[label]
    byLabel[label] = typeof value === 'number' && Number.isFinite(value) ? value : 0
  })
  if (signals.minor === true) byLabel.S3 = Math.max(byLabel.S3, byLabel.S)

  const flagged: Flag[] = []
  for (const label of LABELS) {
    const score = byLabel[label]
    const { hold, reject } = thresholds[label]
    if (label === 'S3') {
      const trigger = hold ?? thresholds.S.hold
      if (trigger !== null && score >= trigger) flagged.push(flag(label, score, 'hold'))
      continue
    }
    if (reject !== null && score >= reject) flagged.push(flag(label, score, 'reject'))
    else if (hold !== null && score >= hold) flagged.push(flag(label, score, 'hold'))
  }
  flagged.sort((a, b) => b.score - a.score)

  const scoresOut = Object.fromEntries(LABELS.map((l) => [l, round(byLabel[l])])) as Record<
    Label,
    number
  >
  if (flagged.some((f) => f.category === 'S3')) {
    return {
      decision: 'held',
      scores: scoresOut,
      flagged,
      reason: `Held for mandatory human review: ${describe(flagged)}`,
    }
  }
  const rejects = flagged.filter((f) => f.level === 'reject')
  if (rejects.length > 0) {
    return {
      decision: 'rejected',
      scores: scoresOut,
      flagged,
      reason: `Rejected: ${describe(rejects)}`,
    }
  }
  if (flagged.length > 0) {
    return {
      decision: 'held',
      scores: scoresOut,
      flagged,
      reason: `Held for review: ${describe(flagged)}`,
    }
  }
  return {
    decision: 'published',
    scores: scoresOut,
    flagged,
    reason: 'Published: no category over its threshold',
  }
}

function isArrayLike(
  x: ArrayLike<number> | Partial<Record<Label, number>>,
): x is ArrayLike<number> {
  return typeof (x as ArrayLike<number>).length === 'number'
}
