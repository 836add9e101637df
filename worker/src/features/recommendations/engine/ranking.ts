// Per-user ranked lists, per-video similar lists, trending and cold start. Everything reads
// the rebuilt model through RankingSources so a queue batch can back it with KV lookups and
// the offline evaluation with in-memory maps: the ranking code is the same.

import { interactionStrength, isPositive } from './collaborative'
import type { CategoryPreference } from './preferences'
import { DAY_MS, type CatalogueItem, type Interaction, type ScoredItem } from './types'

export interface ItemFacts {
  categories: string[]
  parentCategories: string[]
  createdAt: number
  published?: boolean
}

export interface RankingSources {
  // undefined means unknown or not published: never recommended.
  item(itemId: string): ItemFacts | undefined
  neighbours(itemId: string): ScoredItem[] | undefined
  // Normalised 0..1 engagement.
  engagement(itemId: string): number
  // Published items of a category (or parent category), most engaging first.
  categoryList(category: string): string[] | undefined
  parentCategoryList(parentCategory: string): string[] | undefined
  trending(): ScoredItem[]
}

export interface RankingWeights {
  similarity: number
  engagement: number
}

export interface RankingOptions {
  now: number
  weights: RankingWeights
  // Part of the similarity term that comes from the user's preferred categories rather than
  // from neighbours of what they engaged with.
  categoryWeight: number
  limit: number
  // Most recent positive items used as seeds, and how fast older seeds fade.
  maxSeeds: number
  seedHalfLifeDays: number
  candidatesPerCategory: number
}

export const defaultRankingOptions: Omit<RankingOptions, 'now'> = {
  weights: { similarity: 0.7, engagement: 0.3 },
  // Tuned offline: 0.5 or 0.7 led every validation grid (bench/recs/README.md).
  categoryWeight: 0.5,
  limit: 100,
  maxSeeds: 30,
  seedHalfLifeDays: 14,
  candidatesPerCategory: 50,
}

export interface UserProfile {
  userId: string
  history: Interaction[]
  preferences?: CategoryPreference[]
  signupParentCategories?: string[]
}

function isRecommendable(facts: ItemFacts | undefined): facts is ItemFacts {
  return facts !== undefined && facts.published !== false
}

export function rankForUser(
  sources: RankingSources,
  user: UserProfile,
  options: Partial<RankingOptions> & { now: number },
  exclude: ReadonlySet<string> = new Set(),
): ScoredItem[] {
  const opts = { ...defaultRankingOptions, ...options }
  const seen = new Set<string>(exclude)
  for (const interaction of user.history) seen.add(interaction.itemId)
  const seeds = new Map(rankingSeeds(user.history, opts).map((s) => [s.itemId, s.score]))
  const preferences = user.preferences ?? preferencesFromSeeds(sources, seeds)
  if (seeds.size === 0 && preferences.length === 0) {
    return coldStartFeed(sources, user.signupParentCategories ?? [], opts.limit, seen)
  }

  const similarity = new Map<string, number>()
  for (const [seedId, weight] of seeds) {
    for (const n of sources.neighbours(seedId) ?? []) {
      if (seen.has(n.itemId)) continue
      similarity.set(n.itemId, (similarity.get(n.itemId) ?? 0) + weight * n.score)
    }
  }
  const affinity = new Map<string, number>()
  const topPreference = preferences[0]?.score ?? 0
  for (const p of preferences)
    affinity.set(p.category, topPreference > 0 ? p.score / topPreference : 0)
  for (const p of preferences) {
    const list = sources.categoryList(p.category) ?? []
    let taken = 0
    for (const itemId of list) {
      if (taken >= opts.candidatesPerCategory) break
      if (seen.has(itemId)) continue
      if (!similarity.has(itemId)) similarity.set(itemId, 0)
      taken++
    }
  }
  let maxSimilarity = 0
  for (const value of similarity.values()) maxSimilarity = Math.max(maxSimilarity, value)

  const ranked: ScoredItem[] = []
  for (const [itemId, rawSimilarity] of similarity) {
    const facts = sources.item(itemId)
    if (!isRecommendable(facts)) continue
    let categoryAffinity = 0
    for (const c of facts.categories)
      categoryAffinity = Math.max(categoryAffinity, affinity.get(c) ?? 0)
    const neighbourSimilarity = maxSimilarity > 0 ? rawSimilarity / maxSimilarity : 0
    const sim =
      (1 - opts.categoryWeight) * neighbourSimilarity + opts.categoryWeight * categoryAffinity
    const score =
      opts.weights.similarity * sim + opts.weights.engagement * sources.engagement(itemId)
    ranked.push({ itemId, score })
  }
  ranked.sort(byScore)
  const out = ranked.slice(0, opts.limit)
  if (out.length < opts.limit) topUpFromTrending(sources, out, seen, opts.limit)
  return out
}

// The positive items whose neighbours seed a user's candidates, strongest first. A ranking
// batch fetches exactly these neighbour lists (plus the preferred categories' lists) before
// calling rankForUser, whose sources are synchronous. Anything seen (watched, glanced at,
// skipped) is excluded by rankForUser itself.
export function rankingSeeds(
  history: Interaction[],
  options: Partial<RankingOptions> & { now: number },
): ScoredItem[] {
  const opts = { ...defaultRankingOptions, ...options }
  const seeds = new Map<string, number>()
  for (const interaction of history) {
    if (!isPositive(interaction)) continue
    const age = Math.max(0, opts.now - interaction.at) / DAY_MS
    const weight = interactionStrength(interaction) * Math.pow(0.5, age / opts.seedHalfLifeDays)
    seeds.set(interaction.itemId, (seeds.get(interaction.itemId) ?? 0) + weight)
  }
  return [...seeds.entries()]
    .map(([itemId, score]) => ({ itemId, score }))
    .sort(byScore)
    .slice(0, opts.maxSeeds)
}

function byScore(a: ScoredItem, b: ScoredItem): number {
  return b.score - a.score || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0)
}

// Without a stored profile (a user active only today), derive one from the seeds' categories.
function preferencesFromSeeds(
  sources: RankingSources,
  seeds: Map<string, number>,
): CategoryPreference[] {
  const totals = new Map<string, { score: number; interactions: number }>()
  let sum = 0
  for (const [itemId, weight] of seeds) {
    const facts = sources.item(itemId)
    if (!facts || facts.categories.length === 0) continue
    for (const c of facts.categories) {
      const entry = totals.get(c) ?? { score: 0, interactions: 0 }
      entry.score += weight / facts.categories.length
      entry.interactions++
      totals.set(c, entry)
    }
    sum += weight
  }
  return [...totals.entries()]
    .map(([category, e]) => ({
      category,
      score: sum > 0 ? e.score / sum : 0,
      interactions: e.interactions,
    }))
    .sort((a, b) => b.score - a.score || a.category.localeCompare(b.category))
    .slice(0, 3)
}

function topUpFromTrending(
  sources: RankingSources,
  out: ScoredItem[],
  seen: ReadonlySet<string>,
  limit: number,
): void {
  const present = new Set(out.map((s) => s.itemId))
  const floor = out[out.length - 1]?.score ?? 1
  for (const t of sources.trending()) {
    if (out.length >= limit) break
    if (seen.has(t.itemId) || present.has(t.itemId) || !isRecommendable(sources.item(t.itemId))) {
      continue
    }
    // Below every personalised item, in trending order.
    out.push({ itemId: t.itemId, score: Math.min(floor, 1) * 0.5 * t.score })
    present.add(t.itemId)
  }
}

// New users: the parent categories chosen at sign-up, interleaved so each gets a share, each
// list in engagement order; then trending. Anonymous users pass no categories.
export function coldStartFeed(
  sources: RankingSources,
  parentCategories: string[],
  limit: number,
  exclude: ReadonlySet<string> = new Set(),
): ScoredItem[] {
  const out: ScoredItem[] = []
  const present = new Set<string>()
  const lists = parentCategories.map((p) => sources.parentCategoryList(p) ?? [])
  const cursors = lists.map(() => 0)
  let progressed = true
  while (out.length < limit && progressed) {
    progressed = false
    lists.forEach((list, l) => {
      while ((cursors[l] ?? 0) < list.length && out.length < limit) {
        const itemId = list[cursors[l] ?? 0] ?? ''
        cursors[l] = (cursors[l] ?? 0) + 1
        if (exclude.has(itemId) || present.has(itemId) || !isRecommendable(sources.item(itemId))) {
          continue
        }
        out.push({ itemId, score: sources.engagement(itemId) })
        present.add(itemId)
        progressed = true
        break
      }
    })
  }
  topUpFromTrending(sources, out, new Set([...exclude, ...present]), limit)
  return out
}

export function similarVideos(
  sources: RankingSources,
  itemId: string,
  limit: number,
  exclude: ReadonlySet<string> = new Set(),
): ScoredItem[] {
  return (sources.neighbours(itemId) ?? [])
    .filter((n) => !exclude.has(n.itemId) && isRecommendable(sources.item(n.itemId)))
    .slice(0, limit)
}

// Anonymous users' feed: decayed engagement, newer first on ties.
export function buildTrending(
  items: CatalogueItem[],
  engagement: Map<string, number>,
  limit: number,
): ScoredItem[] {
  return items
    .filter((item) => item.published !== false)
    .map((item) => ({ item, score: engagement.get(item.id) ?? 0 }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.item.createdAt - a.item.createdAt ||
        (a.item.id < b.item.id ? -1 : 1),
    )
    .slice(0, limit)
    .map(({ item, score }) => ({ itemId: item.id, score }))
}

export function buildCategoryLists(
  items: CatalogueItem[],
  engagement: Map<string, number>,
  field: 'categories' | 'parentCategories',
  perCategory: number,
): Map<string, string[]> {
  const lists = new Map<string, CatalogueItem[]>()
  for (const item of items) {
    if (item.published === false) continue
    for (const category of item[field]) {
      const list = lists.get(category) ?? []
      list.push(item)
      lists.set(category, list)
    }
  }
  const out = new Map<string, string[]>()
  for (const [category, list] of lists) {
    list.sort(
      (a, b) =>
        (engagement.get(b.id) ?? 0) - (engagement.get(a.id) ?? 0) ||
        b.createdAt - a.createdAt ||
        (a.id < b.id ? -1 : 1),
    )
    out.set(
      category,
      list.slice(0, perCategory).map((item) => item.id),
    )
  }
  return out
}
