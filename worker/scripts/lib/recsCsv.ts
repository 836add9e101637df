// The CSV format of the offline evaluation (documented in bench/recs/README.md and in
// `eval-recs --help`), read into and written from the engine's own types.

import type { CatalogueItem, Interaction } from '../../src/features/recommendations/engine'

export const ITEMS_HEADER = 'item_id,categories,tags,created_at,labels'
export const INTERACTIONS_HEADER = 'user_id,item_id,weight_or_watch_fraction,timestamp'

export type ValueMode = 'auto' | 'watch' | 'weight'

// Minimal RFC 4180: quoted fields may hold commas and doubled quotes.
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue
    const fields: string[] = []
    let field = ''
    let quoted = false
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"'
          i++
        } else if (ch === '"') quoted = false
        else field += ch
      } else if (ch === '"') quoted = true
      else if (ch === ',') {
        fields.push(field)
        field = ''
      } else field += ch
    }
    fields.push(field)
    rows.push(fields)
  }
  return rows
}

function dropHeader(rows: string[][], first: string): string[][] {
  return rows[0]?.[0]?.trim() === first ? rows.slice(1) : rows
}

// ISO 8601, or epoch seconds / milliseconds (numbers below 1e11 are seconds).
export function parseTimestamp(value: string): number {
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed)
    return n < 1e11 ? n * 1000 : n
  }
  const parsed = Date.parse(trimmed)
  if (Number.isNaN(parsed)) throw new Error(`bad timestamp: ${value}`)
  return parsed
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '')

// A category `music/rock` is the category itself with parent `music`.
export function parseItems(text: string): CatalogueItem[] {
  return dropHeader(parseCsv(text), 'item_id').map((f) => {
    const categories = list(f[1])
    const parents = new Set<string>()
    for (const c of categories) {
      const slash = c.indexOf('/')
      parents.add(slash > 0 ? c.slice(0, slash) : c)
    }
    return {
      id: (f[0] ?? '').trim(),
      categories,
      parentCategories: [...parents],
      tags: list(f[2]),
      labels: list(f[4]),
      createdAt: f[3] ? parseTimestamp(f[3]) : 0,
      published: true,
    }
  })
}

// Values 0..1 are watch fractions of a view; larger values are explicit weights (ratings,
// counts). `mode` forces one reading for logs where 1 is ambiguous.
export function parseInteractions(text: string, mode: ValueMode = 'auto'): Interaction[] {
  return dropHeader(parseCsv(text), 'user_id').map((f) => {
    const value = Number(f[2] ?? '1')
    const at = parseTimestamp(f[3] ?? '0')
    const base = { userId: (f[0] ?? '').trim(), itemId: (f[1] ?? '').trim(), at }
    const asWatch = mode === 'watch' || (mode === 'auto' && value >= 0 && value <= 1)
    return asWatch
      ? { ...base, kind: 'view' as const, watchFraction: value }
      : { ...base, kind: 'view' as const, weight: value }
  })
}

export function formatItems(items: CatalogueItem[]): string {
  const lines = items.map((i) =>
    [
      i.id,
      i.categories.join(';'),
      i.tags.join(';'),
      new Date(i.createdAt).toISOString(),
      i.labels.join(';'),
    ].join(','),
  )
  return [ITEMS_HEADER, ...lines].join('\n') + '\n'
}

export function formatInteractions(interactions: Interaction[]): string {
  const lines = interactions.map((i) =>
    [
      i.userId,
      i.itemId,
      (i.weight ?? i.watchFraction ?? 1).toFixed(3),
      new Date(i.at).toISOString(),
    ].join(','),
  )
  return [INTERACTIONS_HEADER, ...lines].join('\n') + '\n'
}
