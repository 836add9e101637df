// Per-frame scores aggregated per category, as in seed 003: min, max, mean,
// median, how many frames score >= 0.9 and how many <= 0.1. Pure.

export type FrameScore = { timeSeconds: number; scores: Record<string, number> | null }
export type Aggregate = {
  min: number
  max: number
  mean: number
  median: number
  over90: number
  under10: number
  frames: number
  // Timestamps of the highest-scoring frames, for reviewers and creators.
  peaks: number[]
}

export function aggregate(values: { t: number; v: number }[]): Aggregate | null {
  if (values.length === 0) return null
  const sorted = values.map((x) => x.v).sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median =
    sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
  const sum = sorted.reduce((a, b) => a + b, 0)
  const max = sorted[sorted.length - 1] ?? 0
  return {
    min: sorted[0] ?? 0,
    max,
    mean: sum / sorted.length,
    median,
    over90: sorted.filter((v) => v >= 0.9).length,
    under10: sorted.filter((v) => v <= 0.1).length,
    frames: sorted.length,
    peaks: values
      .filter((x) => x.v >= Math.max(0.5, max * 0.9))
      .sort((a, b) => b.v - a.v)
      .slice(0, 5)
      .map((x) => x.t),
  }
}

// nsfwjs classes to our categories: S from Porn + Hentai, a separate
// "suggestive" signal from Sexy. Drawing and Neutral are the safe classes.
export function frameSignals(frames: FrameScore[]) {
  const scored = frames.filter(
    (f): f is { timeSeconds: number; scores: Record<string, number> } => f.scores !== null,
  )
  const series = (pick: (s: Record<string, number>) => number) =>
    scored.map((f) => ({ t: f.timeSeconds, v: Math.min(1, pick(f.scores)) }))
  return {
    scoredFrames: scored.length,
    totalFrames: frames.length,
    S: aggregate(series((s) => (s.Porn ?? 0) + (s.Hentai ?? 0))),
    suggestive: aggregate(series((s) => s.Sexy ?? 0)),
  }
}
export type FrameSignals = ReturnType<typeof frameSignals>
