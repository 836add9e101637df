import { score, scoreColor } from './format'

export const CATEGORY_NAMES: Record<string, string> = {
  S: 'sexual',
  H: 'hate',
  V: 'violence',
  HR: 'harassment',
  SH: 'self-harm',
  S3: 'sexual/minors',
  H2: 'hate/threatening',
  V2: 'violence/graphic',
}
export const CATEGORIES = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2'] as const
export type Category = (typeof CATEGORIES)[number]

// Per-category scores, strongest first; near-zero ones are left out.
export function ScoreChips({
  scores,
  min = 0.05,
}: {
  scores: Record<string, number> | null | undefined
  min?: number
}) {
  const shown = Object.entries(scores ?? {})
    .filter(([, v]) => typeof v === 'number' && v >= min)
    .sort((a, b) => b[1] - a[1])
  if (!shown.length) return <span className="muted">no category above {min}</span>
  return (
    <span className="chips">
      {shown.map(([k, v]) => (
        <span
          key={k}
          className="chip"
          style={{ borderColor: scoreColor(v) }}
          title={CATEGORY_NAMES[k] ?? k}
        >
          <span className="dot" style={{ background: scoreColor(v) }} />
          {k} {score(v)}
        </span>
      ))}
    </span>
  )
}
