// The whole nightly rebuild in one call, composed from the same steps the Worker runs as
// queue batches. The offline evaluation and the bench use it; the Worker calls the steps.

import type { CoEngagementOptions } from './collaborative'
import {
  scoreEngagement,
  engagementRecordsFromInteractions,
  type EngagementRecord,
} from './engagement'
import { buildHeadNeighbours, type HeadModelOptions } from './headModel'
import { analysePreferences, type CategoryPreference } from './preferences'
import {
  buildCategoryLists,
  buildTrending,
  neighbourArrays,
  rankForUser,
  type ItemFacts,
  type NeighbourArrays,
  type RankingOptions,
  type RankingSources,
  type UserProfile,
} from './ranking'
import {
  buildSimilarityIndex,
  defaultNeighbourOptions,
  findNeighbours,
  planNeighbourBatches,
  prepareNeighbourSearch,
  type NeighbourOptions,
} from './similarity'
import type { CatalogueItem, Interaction, ScoredItem } from './types'

export interface RebuildOptions {
  now: number
  version?: string
  neighbours: Partial<NeighbourOptions>
  ranking: Partial<Omit<RankingOptions, 'now'>>
  coEngagement: Partial<Omit<CoEngagementOptions, 'now'>>
  head: Partial<HeadModelOptions>
  engagementHalfLifeDays: number
  batchSize: number
  trendingSize: number
  categoryListSize: number
}

export const defaultRebuildOptions: Omit<RebuildOptions, 'now'> = {
  neighbours: {},
  ranking: {},
  coEngagement: {},
  head: {},
  engagementHalfLifeDays: 7,
  batchSize: 500,
  trendingSize: 500,
  categoryListSize: 200,
}

export interface RecommendationModel {
  version: string
  builtAt: number
  items: Map<string, ItemFacts>
  neighbours: Map<string, ScoredItem[]>
  engagement: Map<string, number>
  trending: ScoredItem[]
  categoryLists: Map<string, string[]>
  parentCategoryLists: Map<string, string[]>
  preferences: Map<string, CategoryPreference[]>
}

export function rebuildRecommendations(
  items: CatalogueItem[],
  interactions: Interaction[],
  options: Partial<RebuildOptions> & { now: number },
  engagementRecords?: EngagementRecord[],
): RecommendationModel {
  const opts = { ...defaultRebuildOptions, ...options }
  const published = items.filter((item) => item.published !== false)
  const index = buildSimilarityIndex(published, interactions, {
    ...opts.coEngagement,
    now: opts.now,
    version: opts.version,
  })
  const k = opts.neighbours.k ?? defaultNeighbourOptions.k
  const head = buildHeadNeighbours(index.coEngagement, k, opts.head)
  const search = prepareNeighbourSearch(index, opts.neighbours, head)
  const neighbours = new Map<string, ScoredItem[]>()
  for (const batch of planNeighbourBatches(index.itemIds.length, opts.batchSize)) {
    for (const result of findNeighbours(search, batch))
      neighbours.set(result.itemId, result.neighbours)
  }
  const itemIds = published.map((item) => item.id)
  const engagement = scoreEngagement(
    itemIds,
    engagementRecords ?? engagementRecordsFromInteractions(interactions),
    { now: opts.now, halfLifeDays: opts.engagementHalfLifeDays },
  )
  const facts = new Map<string, ItemFacts>()
  for (const item of published) {
    facts.set(item.id, {
      categories: item.categories,
      parentCategories: item.parentCategories,
      createdAt: item.createdAt,
      published: true,
    })
  }
  return {
    version: index.version,
    builtAt: opts.now,
    items: facts,
    neighbours,
    engagement: engagement.normalised,
    trending: buildTrending(published, engagement.normalised, opts.trendingSize),
    categoryLists: buildCategoryLists(
      published,
      engagement.normalised,
      'categories',
      opts.categoryListSize,
    ),
    parentCategoryLists: buildCategoryLists(
      published,
      engagement.normalised,
      'parentCategories',
      opts.categoryListSize,
    ),
    preferences: analysePreferences(interactions, (id) => facts.get(id)?.categories, {
      now: opts.now,
    }),
  }
}

export function rankingSourcesFromModel(model: RecommendationModel): RankingSources {
  // Each list in the arrays form ranking walks, made on first use (an evaluation ranks every
  // user against the same lists).
  const arrays = new Map<string, NeighbourArrays>()
  return {
    item: (id) => model.items.get(id),
    neighbours: (id) => {
      const known = arrays.get(id)
      if (known) return known
      const list = model.neighbours.get(id)
      if (!list) return undefined
      const made = neighbourArrays(list)
      arrays.set(id, made)
      return made
    },
    engagement: (id) => model.engagement.get(id) ?? 0,
    categoryList: (c) => model.categoryLists.get(c),
    parentCategoryList: (p) => model.parentCategoryLists.get(p),
    trending: () => model.trending,
  }
}

// Per-user lists for every user with history, grouped so a batch can be one queue message.
export function rankUsers(
  model: RecommendationModel,
  histories: Map<string, Interaction[]>,
  options: Partial<RankingOptions> & { now: number },
): Map<string, ScoredItem[]> {
  const sources = rankingSourcesFromModel(model)
  const out = new Map<string, ScoredItem[]>()
  for (const [userId, history] of histories) {
    const profile: UserProfile = { userId, history, preferences: model.preferences.get(userId) }
    out.set(userId, rankForUser(sources, profile, options))
  }
  return out
}

export function groupByUser(interactions: Interaction[]): Map<string, Interaction[]> {
  const out = new Map<string, Interaction[]>()
  for (const i of interactions) {
    const list = out.get(i.userId)
    if (list) list.push(i)
    else out.set(i.userId, [i])
  }
  return out
}
