export function ago(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return '—'
  const s = Math.max(0, Math.round((now - ms) / 1000))
  if (s < 60) return `${s}s`
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.round(m / 60)
  if (h < 48) return `${h} h`
  return `${Math.round(h / 24)} d`
}

export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19)
}

export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—'
  return `${Math.round(x * 100)}%`
}

export function score(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—'
  return x.toFixed(2)
}

export function seconds(t: number): string {
  const m = Math.floor(t / 60)
  const s = Math.floor(t % 60)
  return `${m}:${String(s).padStart(2, '0')}`
}

// Green to red through amber: how worrying a score 0-1 is.
export function scoreColor(x: number | null | undefined): string {
  if (x === null || x === undefined) return '#cbd5e1'
  if (x >= 0.9) return '#dc2626'
  if (x >= 0.6) return '#f97316'
  if (x >= 0.3) return '#facc15'
  return '#22c55e'
}
