import { FRAME_CHECK_PENDING } from './author-notice'
import { CATEGORY_DEFINITIONS, type GeminiVerdict } from './gemini'
import { CATEGORIES, type VideoThresholds } from './policy'
import type { FrameSignals } from './signals'

// Turns the signals into publish / review / reject. Pure, so the thresholds
// page can replay past decisions with new thresholds.

export type VideoSignals = {
  gemini: { configured: boolean; verdict: GeminiVerdict | null; error?: string }
  frames: FrameSignals | null
  text: Record<string, number> | null
}

export type Trigger = {
  signal: 'gemini' | 'frames' | 'text'
  category: string
  score: number
  level: 'review' | 'block'
  at?: number[]
}

export type VideoDecision = {
  decision: 'published' | 'in_review' | 'rejected'
  triggers: Trigger[]
  // For the creator: what was found and where, in words (no scores).
  reason: string
  // For the moderation log: the same with each trigger's score.
  explanation: string
}

// A score this high for sexual content involving minors always reaches a person.
export const S3_FLOOR = 0.05

const NAMES: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(CATEGORY_DEFINITIONS).map(([c, d]) => [c, d.slice(0, d.indexOf(':'))]),
  ),
  suggestive: 'suggestive content',
}

function check(
  triggers: Trigger[],
  signal: Trigger['signal'],
  category: string,
  score: number | undefined,
  levels: { review: number | null; block: number | null } | undefined,
  at?: number[],
) {
  if (score === undefined || !levels) return
  if (levels.block !== null && score >= levels.block) {
    triggers.push({ signal, category, score, level: 'block', at })
  } else if (levels.review !== null && score >= levels.review) {
    triggers.push({ signal, category, score, level: 'review', at })
  }
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`

// Scores only with `withScore`: a creator who sees them can reword a title
// until it slips under a threshold.
function describe(t: Trigger, withScore = false) {
  // The strongest moments (peaks come strongest first), told in the clip's order.
  const moments = (t.at ?? []).slice(0, 3).sort((a, b) => a - b)
  // A creator never reads the frame check's timestamps (see FRAME_CHECK_PENDING).
  const where =
    moments.length && (withScore || t.signal !== 'frames')
      ? ` around ${moments.map(clock).join(', ')}`
      : ''
  const source =
    t.signal === 'gemini' ? 'video check' : t.signal === 'frames' ? 'frame check' : 'text check'
  const score = withScore ? `, ${t.score.toFixed(2)}` : ''
  return `${NAMES[t.category] ?? t.category}${where} (${source}${score})`
}
const scored = (t: Trigger) => describe(t, true)

export function decideVideo(signals: VideoSignals, thresholds: VideoThresholds): VideoDecision {
  const triggers: Trigger[] = []
  const verdict = signals.gemini.verdict
  if (verdict) {
    for (const c of CATEGORIES) {
      const v = verdict.categories[c]
      check(triggers, 'gemini', c, v.score, thresholds.gemini[c], v.timestamps)
    }
  }
  if (signals.frames) {
    for (const c of ['S', 'suggestive'] as const) {
      const agg = signals.frames[c]
      check(triggers, 'frames', c, agg?.max, thresholds.frames[c], agg?.peaks)
    }
  }
  if (signals.text) {
    for (const c of CATEGORIES) check(triggers, 'text', c, signals.text[c], thresholds.text[c])
  }
  // S3 (minors) is never auto-published, whatever the thresholds say.
  const s3 = Math.max(verdict?.categories.S3.score ?? 0, signals.text?.S3 ?? 0)
  if (s3 >= S3_FLOOR && !triggers.some((t) => t.category === 'S3')) {
    triggers.push({
      signal: verdict && verdict.categories.S3.score >= S3_FLOOR ? 'gemini' : 'text',
      category: 'S3',
      score: s3,
      level: 'review',
    })
  }
  const blocks = triggers.filter((t) => t.level === 'block')
  if (blocks.length) {
    return {
      decision: 'rejected',
      triggers,
      reason: `Rejected: ${blocks.map((t) => describe(t)).join('; ')}`,
      explanation: `Rejected: ${blocks.map(scored).join('; ')}`,
    }
  }
  const reviews = triggers.filter((t) => t.level === 'review')
  // Fail closed: a signal we expected but did not get means a person decides.
  const missing: string[] = []
  if (signals.gemini.configured && !verdict) missing.push('automatic moderation unavailable')
  if (!signals.gemini.configured) {
    if (!signals.frames || signals.frames.scoredFrames === 0)
      missing.push('frames could not be checked')
    if (!signals.text) missing.push('text could not be checked')
  }
  if (reviews.length || missing.length) {
    // Frame-check holds are left out of the creator's reason (see FRAME_CHECK_PENDING).
    const why = [
      ...reviews.filter((t) => t.signal !== 'frames').map((t) => describe(t)),
      ...missing,
    ]
    return {
      decision: 'in_review',
      triggers,
      reason: why.length
        ? `A moderator will review this video: ${why.join('; ')}`
        : FRAME_CHECK_PENDING,
      explanation: `In review: ${[...reviews.map(scored), ...missing].join('; ')}`,
    }
  }
  return { decision: 'published', triggers, reason: 'Published', explanation: 'Published' }
}
