import type { QueueVideo } from '../api/types'

export type Aggregate = {
  min: number
  max: number
  mean: number
  median: number
  over90: number
  under10: number
}
export type SignalRow = {
  category: string
  gemini: number | null
  frames: Aggregate | null
  text: number | null
  timestamps: number[]
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
function agg(v: unknown): Aggregate | null {
  if (!isRecord(v) || num(v.max) === null) return null
  return {
    min: num(v.min) ?? 0,
    max: num(v.max) ?? 0,
    mean: num(v.mean) ?? 0,
    median: num(v.median) ?? 0,
    over90: num(v.over90) ?? 0,
    under10: num(v.under10) ?? 0,
  }
}
const ORDER = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2', 'suggestive']

// A decision's scores as one row per category. Reads both shapes the API
// may send: signal-major ({gemini: {S}, frames: {S: agg}, text: {S}}) as
// stored today, or category-major ({S: {gemini, frames, text}}).
export function signalRows(decision: QueueVideo['decision']): SignalRow[] {
  const scores: unknown = decision?.scores
  if (!isRecord(scores)) return []
  const extra: Record<string, unknown> = isRecord(decision) ? decision : {}
  const stamps = [scores.geminiTimestamps, extra.timestamps].find(isRecord) ?? {}
  const rows = new Map<string, SignalRow>()
  const row = (category: string) => {
    let r = rows.get(category)
    if (!r) {
      r = { category, gemini: null, frames: null, text: null, timestamps: [] }
      rows.set(category, r)
    }
    return r
  }
  const signalMajor = 'gemini' in scores || 'frames' in scores || 'text' in scores
  if (signalMajor) {
    for (const [k, v] of Object.entries(isRecord(scores.gemini) ? scores.gemini : {})) {
      if (num(v) !== null) row(k).gemini = num(v)
    }
    for (const [k, v] of Object.entries(isRecord(scores.frames) ? scores.frames : {})) {
      const a = agg(v)
      if (a) row(k).frames = a
    }
    for (const [k, v] of Object.entries(isRecord(scores.text) ? scores.text : {})) {
      if (num(v) !== null) row(k).text = num(v)
    }
  } else {
    for (const [k, v] of Object.entries(scores)) {
      if (!isRecord(v)) continue
      const r = row(k)
      r.gemini = num(v.gemini)
      r.frames = agg(v.frames)
      r.text = num(v.text)
    }
  }
  for (const [k, v] of Object.entries(stamps)) {
    if (Array.isArray(v)) row(k).timestamps = v.filter((t): t is number => typeof t === 'number')
  }
  return [...rows.values()].sort((a, b) => ORDER.indexOf(a.category) - ORDER.indexOf(b.category))
}

// How worrying one frame is: the nsfwjs classes mapped like the policy
// does (S = Porn + Hentai, suggestive = Sexy), or any category score.
export function frameRisk(scores: Record<string, number> | null): number | null {
  if (!scores) return null
  const s = Math.min(1, (scores.Porn ?? 0) + (scores.Hentai ?? 0))
  const others = Object.entries(scores)
    .filter(([k]) => !['Porn', 'Hentai', 'Neutral', 'Drawing'].includes(k))
    .map(([, v]) => v)
  return Math.max(s, ...others)
}

export function triggersOf(decision: QueueVideo['decision']): string[] {
  const scores: unknown = decision?.scores
  if (!isRecord(scores) || !Array.isArray(scores.triggers)) return []
  return scores.triggers.map((t: unknown) => {
    if (!isRecord(t)) return String(t)
    const at = num(t.at)
    const value = num(t.score)
    const over = at === null ? '' : ` ≥ ${at}`
    return `${String(t.signal)} ${String(t.category)} ${value === null ? '?' : value.toFixed(2)}${over} → ${String(t.level)}`
  })
}

// Model names may be a JSON object per signal ({"frames": {"name": ...}}):
// shown as "frames nsfwjs 4.3.0 · text comments-…".
export function modelLabel(model: string | null): string {
  if (!model) return 'no model recorded'
  let parsed: unknown
  try {
    parsed = JSON.parse(model)
  } catch {
    return model
  }
  if (!isRecord(parsed)) return model
  return Object.entries(parsed)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => {
      if (!isRecord(v)) return `${k} ${String(v)}`
      const parts = [v.name, v.version, v.model].filter((x) => typeof x === 'string')
      return `${k} ${parts.join(' ')}`
    })
    .join(' · ')
}
