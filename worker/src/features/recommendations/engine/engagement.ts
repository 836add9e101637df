// Engagement per video: the seed's weights (likes 1, comments 2, views 0.5) plus watch
// time, decayed by age of the activity, then squashed into 0..1 robustly.

import { WATCH_INTEREST_THRESHOLD } from './collaborative'
import type { ItemRows } from './itemColumns'
import { DAY_MS, type Interaction } from './types'

// Activity counted at one moment: a single event, or a daily rollup from D1.
export interface EngagementRecord {
  itemId: string
  views: number
  likes: number
  // Only published comments; held or rejected ones must not lift a video.
  publishedComments: number
  // Sum of watch fractions over the views: "complete-watch equivalents".
  watchFractionSum: number
  at: number
}

export interface EngagementOptions {
  now: number
  halfLifeDays: number
  weights: { likes: number; comments: number; views: number; watch: number }
}

export const defaultEngagementOptions: Omit<EngagementOptions, 'now'> = {
  halfLifeDays: 7,
  weights: { likes: 1, comments: 2, views: 0.5, watch: 1 },
}

export interface EngagementScores {
  // Decayed weighted activity, for trending and for display.
  raw: Map<string, number>
  // 0..1 after normalisation; what ranking blends in.
  normalised: Map<string, number>
}

export function scoreEngagement(
  itemIds: string[],
  records: EngagementRecord[],
  options: Partial<EngagementOptions> & { now: number },
): EngagementScores {
  const opts = { ...defaultEngagementOptions, ...options }
  const w = opts.weights
  const raw = new Map<string, number>()
  for (const id of itemIds) raw.set(id, 0)
  for (const r of records) {
    const current = raw.get(r.itemId)
    if (current === undefined) continue
    const age = Math.max(0, opts.now - r.at) / DAY_MS
    const decay = Math.pow(0.5, age / opts.halfLifeDays)
    const activity =
      w.likes * r.likes +
      w.comments * r.publishedComments +
      w.views * r.views +
      w.watch * r.watchFractionSum
    raw.set(r.itemId, current + activity * decay)
  }
  const normalisedValues = normaliseEngagement([...raw.values()])
  const normalised = new Map<string, number>()
  let i = 0
  for (const id of raw.keys()) normalised.set(id, normalisedValues[i++] ?? 0)
  return { raw, normalised }
}

// log1p tames the heavy tail; min-max between the minimum and the 99th percentile keeps one
// viral video from flattening everyone else to zero. No spread means no information: all
// zero stays 0, any other constant becomes 0.5.
export function normaliseEngagement(values: number[]): number[] {
  if (values.length === 0) return []
  const logs = values.map((v) => Math.log1p(Math.max(0, v)))
  const sorted = [...logs].sort((a, b) => a - b)
  const low = sorted[0] ?? 0
  const high = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0
  if (high - low <= 1e-12) {
    const maximum = sorted[sorted.length - 1] ?? 0
    if (maximum <= 0) return logs.map(() => 0)
    if (maximum - low <= 1e-12) return logs.map(() => 0.5)
    // Everything except the top 1% is equal: those outliers are the engaging ones.
    return logs.map((v) => (v > high ? 1 : 0))
  }
  return logs.map((v) => Math.min(1, Math.max(0, (v - low) / (high - low))))
}

// Turns raw interactions into records (one per event); production feeds D1 rollups instead.
export function engagementRecordsFromInteractions(interactions: Interaction[]): EngagementRecord[] {
  return interactions.map((i) => {
    const isView = i.kind === 'view'
    const watch = isView ? (i.watchFraction ?? (i.weight !== undefined ? 0 : 1)) : 0
    return {
      itemId: i.itemId,
      views: isView ? 1 : 0,
      likes: i.kind === 'like' ? 1 : 0,
      publishedComments: i.kind === 'comment' ? 1 : 0,
      // Glances do not count as watch time, matching the interest threshold.
      watchFractionSum: watch >= WATCH_INTEREST_THRESHOLD ? watch : 0,
      at: i.at,
    }
  })
}

// What a planner keeps from each page of interactions, the one-shot planner and the shards
// alike: each user's running sum and count of index rows (their mean places users near the
// part of the catalogue they watch), and each row's decayed engagement, scored per page.
export function addPageSums(
  page: Interaction[],
  row: ItemRows,
  userRows: Map<string, { sum: number; count: number }>,
  addEngagement: (row: number, raw: number) => void,
  now: number,
): void {
  for (const interaction of page) {
    const r = row.get(interaction.itemId)
    if (r === undefined) continue
    const entry = userRows.get(interaction.userId)
    if (entry) {
      entry.sum += r
      entry.count++
    } else userRows.set(interaction.userId, { sum: r, count: 1 })
  }
  const touched = [...new Set(page.map((i) => i.itemId))]
  const scored = scoreEngagement(touched, engagementRecordsFromInteractions(page), { now })
  for (const [id, raw] of scored.raw) {
    const r = row.get(id)
    if (r !== undefined) addEngagement(r, raw)
  }
}
