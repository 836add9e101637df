// Per-user ranked lists, per-video similar lists, trending and cold start. Everything reads
// the rebuilt model through RankingSources so a queue batch can back it with KV lookups and
// the offline evaluation with in-memory maps: the ranking code is the same.

import { BestScored, byScore } from './bestScored'
import { interactionStrength, interactionWeights, isPositive, isSkip } from './collaborative'
import type { CategoryPreference } from './preferences'
import { selectAscending } from './sparse'
import {
  DAY_MS,
  type CatalogueItem,
  type FeedReason,
  type Interaction,
  type ScoredItem,
} from './types'

export interface ItemFacts {
  categories: string[]
  parentCategories: string[]
  createdAt: number
  published?: boolean
}

export interface RankingSources {
  // undefined means unknown or not published: never recommended.
  item(itemId: string): ItemFacts | undefined
  // A video's neighbours, best first, as stored: no object per neighbour (a user batch holds
  // thousands of lists; bench/recs/README.md, session 14).
  neighbours(itemId: string): NeighbourArrays | undefined
  // Normalised 0..1 engagement.
  engagement(itemId: string): number
  // Published items of a category (or parent category), most engaging first.
  categoryList(category: string): string[] | undefined
  parentCategoryList(parentCategory: string): string[] | undefined
  trending(): ScoredItem[]
}

// Neighbour `ids[i]` has score `scores[i] / scale`: the `similar:` lists keep integer scores
// and their scale (seedLists.ts); lists built in memory keep their scores with scale 1.
export interface NeighbourArrays {
  ids: string[]
  scores: ArrayLike<number>
  scale: number
}

// A list of scored neighbours in the arrays form (scale 1, so each score is kept exactly).
export function neighbourArrays(items: readonly ScoredItem[]): NeighbourArrays {
  return { ids: items.map((s) => s.itemId), scores: items.map((s) => s.score), scale: 1 }
}

export interface RankingWeights {
  similarity: number
  engagement: number
}

export interface RankingOptions {
  now: number
  weights: RankingWeights
  // Part of the similarity term that comes from the user's preferred categories rather than
  // from neighbours of what they engaged with, for a user with no history; it fades as the
  // history grows (halved at `categoryFade` positive items), so chosen interests carry cold
  // start and co-engagement carries everyone else.
  categoryWeight: number
  categoryFade: number
  limit: number
  // Most recent positive items used as seeds. The n-th most recent weighs 0.5^(n / this):
  // what someone watched last says most about what they want next (measured on MovieLens).
  maxSeeds: number
  seedRecencyHalfLife: number
  // Older seeds also fade with time, slowly: a favourite from last season still counts.
  seedHalfLifeDays: number
  // A skip (a clip left in its first seconds) counts against the skipped clip's neighbours
  // with this share of a view's weight.
  skipWeight: number
  candidatesPerCategory: number
}

// Chosen on the validation split of MovieLens latest-small (bench/recs/README.md): the walk
// carries the ranking. Any engagement weight in the personal ranking lowered validation
// NDCG (0.140 -> 0.137 at 0.1); popularity still orders cold start, category lists and the
// top-ups, and fresh clips reach people through the exploration arm.
export const defaultRankingOptions: Omit<RankingOptions, 'now'> = {
  weights: { similarity: 1, engagement: 0 },
  categoryWeight: 0.5,
  categoryFade: 3,
  limit: 100,
  maxSeeds: 50,
  seedRecencyHalfLife: 5,
  seedHalfLifeDays: 90,
  skipWeight: 0.5,
  candidatesPerCategory: 50,
}

export interface UserProfile {
  userId: string
  history: Interaction[]
  preferences?: CategoryPreference[]
  signupParentCategories?: string[]
  // `rankingSeeds(history, options)` when the caller computed them already (a user batch
  // does, to read the neighbour blocks of the seeds before ranking).
  seeds?: ScoredItem[]
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
  const seedList = user.seeds ?? rankingSeeds(user.history, opts)
  const positiveSeeds = seedList.filter((s) => s.score > 0)
  const preferences =
    user.preferences ??
    preferencesFromSeeds(sources, new Map(positiveSeeds.map((s) => [s.itemId, s.score])))
  if (positiveSeeds.length === 0 && preferences.length === 0) {
    return coldStartFeed(sources, user.signupParentCategories ?? [], opts.limit, seen)
  }

  // Candidates in first-seen order: their slot in `slots`, their sums in flat arrays. Seen
  // items hold slot -1, so a neighbour costs one lookup. A user's distinct candidates grow
  // with the catalogue (seeds share fewer neighbours), so this is most of a user's cost.
  const slots = new Map<string, number>()
  for (const itemId of seen) slots.set(itemId, -1)
  const ids: string[] = []
  // The seed that contributed most, for "because you watched X".
  const bestSeed: (string | undefined)[] = []
  let similarity = new Float64Array(256)
  let bestContribution = new Float64Array(256)
  const addCandidate = (itemId: string, value: number, seedId: string | undefined): void => {
    const slot = ids.length
    if (slot === similarity.length) {
      const moreSimilarity = new Float64Array(slot * 2)
      moreSimilarity.set(similarity)
      similarity = moreSimilarity
      const moreBest = new Float64Array(slot * 2)
      moreBest.set(bestContribution)
      bestContribution = moreBest
    }
    slots.set(itemId, slot)
    ids.push(itemId)
    bestSeed.push(seedId)
    similarity[slot] = value
    bestContribution[slot] = value
  }
  const visit = (seed: ScoredItem, itemId: string, neighbourScore: number): void => {
    const slot = slots.get(itemId)
    if (slot === -1) return
    const contribution = seed.score * neighbourScore
    if (slot === undefined) {
      addCandidate(itemId, contribution, contribution > 0 ? seed.itemId : undefined)
      return
    }
    similarity[slot] = (similarity[slot] ?? 0) + contribution
    if (contribution > (bestContribution[slot] ?? 0)) {
      bestContribution[slot] = contribution
      bestSeed[slot] = seed.itemId
    }
  }
  for (const seed of seedList) {
    const neighbours = sources.neighbours(seed.itemId)
    if (!neighbours) continue
    const { ids: neighbourIds, scores, scale } = neighbours
    for (let i = 0; i < neighbourIds.length; i++) {
      visit(seed, neighbourIds[i] ?? '', (scores[i] ?? 0) / scale)
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
      const slot = slots.get(itemId)
      if (slot === -1) continue
      if (slot === undefined) addCandidate(itemId, 0, undefined)
      taken++
    }
  }
  const count = ids.length
  let maxSimilarity = 0
  for (let i = 0; i < count; i++) maxSimilarity = Math.max(maxSimilarity, similarity[i] ?? 0)
  const categoryShare =
    opts.categoryWeight * (opts.categoryFade / (opts.categoryFade + positiveSeeds.length))

  // A user with 50 seeds has thousands of candidates and keeps `limit`: a bounded heap
  // instead of sorting them all. The most similar `limit` are scored first; any other whose
  // score could not reach the heap even with the largest category and engagement terms is
  // never looked up (exact: the result is the same, at a tenth of the lookups).
  const best = new BestScored(opts.limit)
  const neighbourWeight = opts.weights.similarity * (1 - categoryShare)
  let topAffinity = 0
  for (const a of affinity.values()) topAffinity = Math.max(topAffinity, a)
  const categoryCeiling = Math.max(0, opts.weights.similarity * categoryShare * topAffinity)
  // Engagement is normalised to 0..1 (RankingSources).
  const engagementCeiling = Math.max(0, opts.weights.engagement)
  // The `limit`-th largest similarity (what sorting them all would give), selected in linear
  // time: a user's distinct candidates grow with the catalogue (fewer shared neighbours).
  const firstCut =
    count === 0 ? 0 : selectAscending(similarity.slice(0, count), Math.max(0, count - opts.limit))
  const score = (slot: number): void => {
    const itemId = ids[slot] ?? ''
    const candidateSimilarity = similarity[slot] ?? 0
    const neighbourSimilarity = maxSimilarity > 0 ? candidateSimilarity / maxSimilarity : 0
    const fromNeighbours = neighbourWeight * neighbourSimilarity
    if (!best.admits(itemId, fromNeighbours + categoryCeiling + engagementCeiling)) return
    const facts = sources.item(itemId)
    if (!isRecommendable(facts)) return
    let categoryAffinity = 0
    let bestCategory: string | undefined
    for (const c of facts.categories) {
      const a = affinity.get(c) ?? 0
      if (a > categoryAffinity) {
        categoryAffinity = a
        bestCategory = c
      }
    }
    // Skips can push an item below zero; it then ranks under everything unrelated.
    const fromCategory = opts.weights.similarity * categoryShare * categoryAffinity
    const fromEngagement = opts.weights.engagement * sources.engagement(itemId)
    const total = fromNeighbours + fromCategory + fromEngagement
    if (!best.admits(itemId, total)) return
    best.add({
      itemId,
      score: total,
      reason: strongestReason(
        { fromNeighbours, fromCategory, fromEngagement },
        bestSeed[slot],
        bestCategory,
      ),
    })
  }
  for (let i = 0; i < count; i++) if ((similarity[i] ?? 0) >= firstCut) score(i)
  for (let i = 0; i < count; i++) if ((similarity[i] ?? 0) < firstCut) score(i)
  const out = best.sorted()
  if (out.length < opts.limit) topUpFromTrending(sources, out, seen, opts.limit)
  return out
}

// The term that contributed most names the reason: what the viewer is told is what placed it.
function strongestReason(
  terms: { fromNeighbours: number; fromCategory: number; fromEngagement: number },
  bestSeed: string | undefined,
  category: string | undefined,
): FeedReason {
  const { fromNeighbours, fromCategory, fromEngagement } = terms
  if (bestSeed && fromNeighbours >= fromCategory && fromNeighbours >= fromEngagement) {
    return { kind: 'watched', itemId: bestSeed }
  }
  if (category && fromCategory >= fromEngagement) return { kind: 'category', category }
  return { kind: 'trending' }
}

// The user's seeds, strongest first: positive items weighted by strength, recency rank and
// age; skipped items with a negative weight. The most recent `maxSeeds` positive items count.
export function rankingSeeds(
  history: Interaction[],
  options: Partial<RankingOptions> & { now: number },
): ScoredItem[] {
  const opts = { ...defaultRankingOptions, ...options }
  const latest = new Map<string, { at: number; strength: number; against: number }>()
  for (const interaction of history) {
    const entry = latest.get(interaction.itemId) ?? { at: 0, strength: 0, against: 0 }
    entry.at = Math.max(entry.at, interaction.at)
    if (isPositive(interaction)) entry.strength += interactionStrength(interaction)
    else if (isSkip(interaction)) {
      // "Not interested" arrives as a skip with a larger weight.
      entry.against = Math.max(entry.against, interaction.weight ?? 1)
    }
    latest.set(interaction.itemId, entry)
  }
  const byRecency = [...latest.entries()].sort(
    (a, b) => b[1].at - a[1].at || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  )
  const seeds: ScoredItem[] = []
  let positives = 0
  let skips = 0
  // Recency rank = positive items strictly more recent; simultaneous ones share a rank.
  let rank = 0
  let rankAt = Number.POSITIVE_INFINITY
  for (const [itemId, entry] of byRecency) {
    const age = Math.max(0, opts.now - entry.at) / DAY_MS
    const fade = Math.pow(0.5, age / opts.seedHalfLifeDays)
    if (entry.strength > 0) {
      if (positives >= opts.maxSeeds) continue
      if (entry.at < rankAt) {
        rank = positives
        rankAt = entry.at
      }
      const recency =
        opts.seedRecencyHalfLife > 0 ? Math.pow(0.5, rank / opts.seedRecencyHalfLife) : 1
      seeds.push({ itemId, score: entry.strength * recency * fade })
      positives++
    } else if (entry.against > 0 && skips < opts.maxSeeds && opts.skipWeight > 0) {
      seeds.push({
        itemId,
        score: -opts.skipWeight * entry.against * interactionWeights.view * fade,
      })
      skips++
    }
  }
  return seeds.sort(byScore)
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
    out.push({
      itemId: t.itemId,
      score: Math.min(floor, 1) * 0.5 * t.score,
      reason: { kind: 'trending' },
    })
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
        out.push({
          itemId,
          score: sources.engagement(itemId),
          reason: { kind: 'category', category: parentCategories[l] ?? '' },
        })
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
  const out: ScoredItem[] = []
  const { ids = [], scores = [], scale = 1 } = sources.neighbours(itemId) ?? {}
  for (let i = 0; i < ids.length && out.length < limit; i++) {
    const id = ids[i] ?? ''
    if (exclude.has(id) || !isRecommendable(sources.item(id))) continue
    out.push({ itemId: id, score: (scores[i] ?? 0) / scale })
  }
  return out
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
