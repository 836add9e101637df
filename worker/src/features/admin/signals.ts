// Reading moderation events the way the dashboard talks about them: which
// category a decision was about, and whether it let the subject through.

export const CATEGORIES = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2'] as const
export type Category = (typeof CATEGORIES)[number]
export type EventCategory = Category | 'OK'

// Below this no signal is taken to be "about" a category.
const RELEVANT = 0.5

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// The strongest number a category's scores hold: a plain score, a frame
// aggregate's max, or the largest of gemini / frames.max / text.
function strongest(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (!isRecord(value)) return null
  const frames = isRecord(value.frames) ? value.frames.max : undefined
  const found = [value.gemini, value.text, frames, value.max]
    .map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null))
    .filter((v): v is number => v !== null)
  return found.length ? Math.max(...found) : null
}

export function categoryScores(scoresJson: string | null): Partial<Record<Category, number>> {
  if (!scoresJson) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(scoresJson)
  } catch {
    return {}
  }
  if (!isRecord(parsed)) return {}
  const root = isRecord(parsed.scores) ? parsed.scores : parsed
  const out: Partial<Record<Category, number>> = {}
  const keep = (category: Category, score: number | null) => {
    if (score !== null) out[category] = Math.max(out[category] ?? 0, score)
  }
  // Video decisions store signal-major scores: { gemini: {S: 0.1}, frames:
  // {S: {max}}, text: {S: 0.2} }; comments store category-major ones.
  const signals = [root.gemini, root.frames, root.text].filter(isRecord)
  for (const category of CATEGORIES) {
    keep(category, strongest(root[category]))
    for (const signal of signals) keep(category, strongest(signal[category]))
  }
  return out
}

// Video decisions list the thresholds that fired ({category, level, score}):
// the one that blocked, else the strongest review, is what it was about.
function triggerCategory(scoresJson: string | null): Category | null {
  if (!scoresJson) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(scoresJson)
  } catch {
    return null
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.triggers)) return null
  let best: { category: Category; rank: number } | null = null
  for (const t of parsed.triggers as unknown[]) {
    if (!isRecord(t)) continue
    const category = CATEGORIES.find((c) => c === t.category)
    if (!category) continue
    const score = typeof t.score === 'number' ? t.score : 0
    const rank = (t.level === 'block' ? 2 : 1) + score
    if (!best || rank > best.rank) best = { category, rank }
  }
  return best?.category ?? null
}

// The category a decision was about: the one whose threshold fired, else the
// highest-scoring one, or OK when nothing reached RELEVANT.
export function mainCategory(scoresJson: string | null): EventCategory {
  const triggered = triggerCategory(scoresJson)
  if (triggered) return triggered
  let best: EventCategory = 'OK'
  let bestScore = RELEVANT
  for (const [category, score] of Object.entries(categoryScores(scoresJson))) {
    if (score >= bestScore) {
      best = category as Category
      bestScore = score
    }
  }
  return best
}

export type Outcome = 'allow' | 'block' | 'review' | 'other'

// Machine and human events use statuses (published, rejected, held,
// in_review) or actions (approve, reject, restore); both mean the same.
export function outcomeOf(decision: string): Outcome {
  switch (decision) {
    case 'published':
    case 'approve':
    case 'approved':
      return 'allow'
    case 'rejected':
    case 'reject':
    case 'removed':
      return 'block'
    case 'held':
    case 'in_review':
    case 'restore':
    case 'restored':
      return 'review'
    default:
      return 'other'
  }
}

// A human overturns the machine when the machine decided (let through or
// blocked) and the human decided the other way. A machine that sent the
// subject to review decided nothing, so confirming or rejecting it is no
// overturn.
export function isOverturn(machineDecision: string, humanDecision: string): boolean {
  const machine = outcomeOf(machineDecision)
  const human = outcomeOf(humanDecision)
  if (machine !== 'allow' && machine !== 'block') return false
  if (human !== 'allow' && human !== 'block') return false
  return machine !== human
}
