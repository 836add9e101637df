// The nightly rebuild split the way the Worker runs it: one planning step that streams the
// catalogue and the window's interactions page by page into the shared index and facts,
// then queue batches that each load those two artifacts and answer a slice of items or
// users. The Worker's cron and consumers and `bench/recs` both call these, so the bench
// measures the code that runs in production.

import { createCoEngagementBuilder } from './collaborative'
import { buildContentModel } from './content'
import { addPageSums, normaliseEngagement } from './engagement'
import { decodeItemColumns, encodeItemColumns, type ItemColumns } from './itemColumns'
import {
  buildCategoryLists,
  buildTrending,
  type NeighbourArrays,
  type RankingSources,
} from './ranking'
import {
  neighbourRows,
  orderForLocality,
  type NeighbourSearch,
  type SimilarityIndex,
} from './similarity'
import type { CatalogueItem, Interaction, ScoredItem } from './types'

// Per-item facts in index row order, as the one-shot planner gives them (the Worker stores
// them as item columns, engagement and lists: `RankingFacts`).
export interface RebuildFacts {
  version: string
  builtAt: number
  itemIds: string[]
  categories: string[][]
  parentCategories: string[][]
  createdAt: number[]
  // Normalised 0..1.
  engagement: number[]
  trending: ScoredItem[]
}

export interface PlannedRebuild {
  index: SimilarityIndex
  facts: RebuildFacts
  categoryLists: Map<string, string[]>
  parentCategoryLists: Map<string, string[]>
  // Users ordered so that a batch holds users of similar taste (see `batchUsers`).
  batchUsers(userIds: string[], batchSize: number): string[][]
}

export interface RebuildPlanner {
  // One page of the window's interactions (any order); pages must not overlap.
  add(page: Interaction[]): void
  finish(): PlannedRebuild
}

export function createRebuildPlanner(
  catalogue: CatalogueItem[],
  options: { now: number; version: string; trendingSize: number; categoryListSize: number },
): RebuildPlanner {
  const { now, version } = options
  const items = orderForLocality(catalogue)
  const itemIds = items.map((item) => item.id)
  const row = new Map(itemIds.map((id, i) => [id, i]))
  const coEngagement = createCoEngagementBuilder(itemIds, { now })
  // Decayed activity per row, summed page by page; only 8 bytes an item stay in memory.
  const rawEngagement = new Float64Array(itemIds.length)
  // Mean index row of each user's interactions. Rows are grouped by category, so users with
  // close means engaged with the same part of the catalogue.
  const userRows = new Map<string, { sum: number; count: number }>()
  return {
    add(page) {
      coEngagement.add(page)
      addPageSums(
        page,
        row,
        userRows,
        (r, raw) => (rawEngagement[r] = (rawEngagement[r] ?? 0) + raw),
        now,
      )
    },
    finish() {
      const content = buildContentModel(items)
      const walk = coEngagement.finish()
      const index: SimilarityIndex = {
        version,
        builtAt: now,
        itemIds: content.itemIds,
        content: content.matrix,
        coEngagement: walk.matrix,
        coEngagementDegree: walk.itemDegree,
      }
      const normalised = normaliseEngagement(Array.from(rawEngagement))
      const engagement = new Map(itemIds.map((id, i) => [id, normalised[i] ?? 0]))
      const trending = buildTrending(items, engagement, options.trendingSize)
      return {
        index,
        facts: {
          version,
          builtAt: now,
          itemIds,
          categories: items.map((item) => item.categories),
          parentCategories: items.map((item) => item.parentCategories),
          createdAt: items.map((item) => item.createdAt),
          engagement: itemIds.map((id) => engagement.get(id) ?? 0),
          trending,
        },
        categoryLists: buildCategoryLists(
          items,
          engagement,
          'categories',
          options.categoryListSize,
        ),
        parentCategoryLists: buildCategoryLists(
          items,
          engagement,
          'parentCategories',
          options.categoryListSize,
        ),
        // A user batch then asks about one stretch of the catalogue, whose facts and
        // neighbour lists stay in the CPU caches: measured ~20% less CPU for user batches at
        // 100k videos than batches in id order.
        batchUsers(userIds, batchSize) {
          const key = (id: string): number => {
            const entry = userRows.get(id)
            return entry ? entry.sum / entry.count : Number.POSITIVE_INFINITY
          }
          const ordered = userIds
            .map((id) => ({ id, key: key(id) }))
            .sort((a, b) => a.key - b.key || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          const size = Math.max(1, Math.floor(batchSize))
          const batches: string[][] = []
          for (let i = 0; i < ordered.length; i += size) {
            batches.push(ordered.slice(i, i + size).map((u) => u.id))
          }
          return batches
        },
      }
    },
  }
}

// Neighbour lists of one index version, each computed at most once per isolate while it is
// kept: neighbour batches fill it as they write `similar:` lists and user batches read their
// seeds from it. Without it a user batch recomputes ~50 lists per user. Lists live in flat
// typed arrays (6 bytes a neighbour: row and a 16-bit score; scores are 0..1) allocated in
// blocks of rows on first use, so an invocation pays for the rows it touches; past
// `maxBytes` the least recently used block is dropped and computed again when asked for.
// Memory stays bounded whatever the catalogue size and k: 48 MB holds ~84k rows at k 100.
export interface NeighbourLists {
  of(row: number): ScoredItem[]
  // The same list as index rows and 16-bit scores (views: copy before the next call).
  entries(row: number): NeighbourEntries
  // How many rows were computed here rather than found (for logs and the bench).
  computed(): number
}

export interface NeighbourEntries {
  rows: Int32Array
  scores: Uint16Array
}

const ROWS_PER_BLOCK = 256
const SCORE_SCALE = 65535

interface ListBlock {
  rows: Int32Array
  scores: Uint16Array
  // -1 = not computed yet.
  lengths: Int16Array
}

export function createNeighbourLists(
  search: NeighbourSearch,
  maxBytes = 48 * 1024 * 1024,
): NeighbourLists {
  const { itemIds } = search.index
  const k = search.options.k
  const blockBytes = ROWS_PER_BLOCK * (k * 6 + 2)
  const maxBlocks = Math.max(1, Math.floor(maxBytes / blockBytes))
  // Map order is recency order: a block is moved to the end on every use.
  const blocks = new Map<number, ListBlock>()
  let computed = 0
  const blockOf = (row: number): ListBlock => {
    const id = Math.floor(row / ROWS_PER_BLOCK)
    let block = blocks.get(id)
    if (block) {
      blocks.delete(id)
      blocks.set(id, block)
      return block
    }
    if (blocks.size >= maxBlocks) {
      const oldest = blocks.keys().next()
      if (!oldest.done) blocks.delete(oldest.value)
    }
    block = {
      rows: new Int32Array(ROWS_PER_BLOCK * k),
      scores: new Uint16Array(ROWS_PER_BLOCK * k),
      lengths: new Int16Array(ROWS_PER_BLOCK).fill(-1),
    }
    blocks.set(id, block)
    return block
  }
  const entries = (row: number): NeighbourEntries => {
    const block = blockOf(row)
    const slot = row % ROWS_PER_BLOCK
    let length = block.lengths[slot] ?? 0
    if (length < 0) {
      const list = neighbourRows(search, row)
      length = Math.min(k, list.length)
      for (let i = 0; i < length; i++) {
        const n = list[i]
        block.rows[slot * k + i] = n?.index ?? 0
        const score = Math.min(1, Math.max(0, n?.score ?? 0))
        block.scores[slot * k + i] = Math.round(score * SCORE_SCALE)
      }
      block.lengths[slot] = length
      computed++
    }
    return {
      rows: block.rows.subarray(slot * k, slot * k + length),
      scores: block.scores.subarray(slot * k, slot * k + length),
    }
  }
  return {
    of: (row) => scoredItems(itemIds, entries(row)),
    entries,
    computed: () => computed,
  }
}

export function scoredItems(itemIds: string[], entries: NeighbourEntries): ScoredItem[] {
  const out: ScoredItem[] = []
  for (let i = 0; i < entries.rows.length; i++) {
    const itemId = itemIds[entries.rows[i] ?? 0] ?? ''
    out.push({ itemId, score: (entries.scores[i] ?? 0) / SCORE_SCALE })
  }
  return out
}

// What a user batch ranks against, besides its seeds' neighbour lists: the catalogue step's
// item columns, the assembling step's engagement per row, trending and category lists.
export interface RankingFacts {
  items: ItemColumns
  // Normalised 0..1, per row.
  engagement: ArrayLike<number>
  trending: ScoredItem[]
  categoryLists: Map<string, string[]>
  parentCategoryLists: Map<string, string[]>
}

// The lists as the assembling step stores them (`recs/{version}/lists.json`).
export interface StoredRankingLists {
  // When the version was planned (the lists' and feeds' `builtAt`).
  builtAt: number
  trending: ScoredItem[]
  categories: [string, string[]][]
  parentCategories: [string, string[]][]
}

export function storedRankingLists(lists: {
  builtAt: number
  trending: ScoredItem[]
  categoryLists: Map<string, string[]>
  parentCategoryLists: Map<string, string[]>
}): StoredRankingLists {
  return {
    builtAt: lists.builtAt,
    trending: lists.trending,
    categories: [...lists.categoryLists],
    parentCategories: [...lists.parentCategoryLists],
  }
}

export function rankingFacts(
  items: ItemColumns,
  engagement: ArrayLike<number>,
  lists: StoredRankingLists,
): RankingFacts {
  return {
    items,
    engagement,
    trending: lists.trending,
    categoryLists: new Map(lists.categories),
    parentCategoryLists: new Map(lists.parentCategories),
  }
}

// The one-shot planner's facts in the form user batches read them (tests, the bench).
export function rankingFactsOfPlan(planned: PlannedRebuild): RankingFacts {
  const { facts } = planned
  return rankingFacts(
    decodeItemColumns(encodeItemColumns(facts)),
    Float64Array.from(facts.engagement),
    storedRankingLists({ ...planned, builtAt: facts.builtAt, trending: facts.trending }),
  )
}

// A user batch's RankingSources: the facts above plus its seeds' neighbour lists (the
// `similar:` lists in KV, read by bulk reads of 100 keys: seedLists.ts). It builds nothing
// per video: ranking looks each candidate up in the columns.
export function batchRankingSources(
  // The lists as stored (seedLists.ts), walked without an object per neighbour.
  neighbours: { arrays(row: number): NeighbourArrays | undefined },
  facts: RankingFacts,
): RankingSources & { rowOf(id: string): number | undefined } {
  const { items, engagement } = facts
  // Ranking asks for a candidate's facts and then its engagement: remember the last row so
  // the second question costs no second lookup.
  let lastId: string | undefined
  let lastRow: number | undefined
  const rowOf = (id: string): number | undefined => {
    if (id !== lastId) {
      lastId = id
      lastRow = items.ids.get(id)
    }
    return lastRow
  }
  const noSet: string[] = []
  return {
    rowOf: (id) => items.ids.get(id),
    // A fresh object per call measured faster than one long-lived object per row (ranking
    // reads ~1000 candidates per user; short-lived objects stay in the young generation).
    item: (id) => {
      const i = rowOf(id)
      if (i === undefined) return undefined
      return {
        categories: items.sets[items.categories[i] ?? 0] ?? noSet,
        parentCategories: items.sets[items.parentCategories[i] ?? 0] ?? noSet,
        createdAt: items.createdAt[i] ?? 0,
        published: true,
      }
    },
    neighbours: (id) => {
      const i = rowOf(id)
      return i === undefined ? undefined : neighbours.arrays(i)
    },
    engagement: (id) => {
      const i = rowOf(id)
      return i === undefined ? 0 : (engagement[i] ?? 0)
    },
    categoryList: (c) => facts.categoryLists.get(c),
    parentCategoryList: (p) => facts.parentCategoryLists.get(p),
    trending: () => facts.trending,
  }
}
