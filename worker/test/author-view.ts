// What an author's answer may not carry: scores let an abuser reword a text
// until it slips under a threshold. Returns the JSON paths that look like one:
// a key about scores or confidence, a key named after a moderation category,
// a fractional number, or a reason that quotes a decimal.
const CATEGORY_KEYS = new Set(['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2'])
const SCORE_KEY = /score|flag|confidence|probab|threshold/i

export function scoreLeaks(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isInteger(value) ? [] : [path]
  if (typeof value === 'string') return /\d\.\d/.test(value) ? [`${path} = ${value}`] : []
  if (Array.isArray(value)) return value.flatMap((v, i) => scoreLeaks(v, `${path}[${i}]`))
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(SCORE_KEY.test(k) || CATEGORY_KEYS.has(k) ? [`${path}.${k}`] : []),
      ...scoreLeaks(v, `${path}.${k}`),
    ])
  }
  return []
}
