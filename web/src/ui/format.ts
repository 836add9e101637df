const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })

export const formatCount = (n: number) => compact.format(n)

export function formatDuration(seconds: number | null) {
  if (seconds === null) return ''
  const s = Math.round(seconds)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

const plurals = new Intl.PluralRules('en')

// The noun in the right number for a count: 1 clip, 2 clips, 0 clips.
export function nounFor(n: number, one: string, other = `${one}s`) {
  return plurals.select(n) === 'one' ? one : other
}

// "1 view", "1.2K views": a count with its noun.
export function formatCountOf(n: number, one: string, other = `${one}s`) {
  return `${formatCount(n)} ${nounFor(n, one, other)}`
}
