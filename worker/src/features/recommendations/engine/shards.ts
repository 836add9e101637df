// The nightly rebuild's planning step in bounded pieces, so no invocation holds the whole
// interaction log:
// 1. the catalogue step orders the catalogue and builds the content side (items only);
// 2. each shard reads the interactions of one range of users and computes their columns of
//    the co-engagement matrix (users are columns, so shards are disjoint) and its per-item
//    partial sums (engagement) and per-user keys (for grouping user batches);
// 3. the assembling step (assembly.ts) adds up the per-item sums into the facts, trending
//    and category lists (nothing in it grows with the interactions);
// 4. each neighbour batch reads from the shards' files (shardFile.ts) only its rows' users and
//    applies the per-item cap and the walk's weights with the assembling step's totals
//    (batchCoEngagement.ts); `mergeShardColumns` does it for the whole matrix.
// The result is exactly the one-shot `buildSimilarityIndex` / `createRebuildPlanner`
// (users are numbered in id order by both), which `shards.test.ts` checks.

import {
  compareIds,
  createInteractionCollector,
  defaultCoEngagementOptions,
  walkCoEngagement,
  type CoEngagementOptions,
} from './collaborative'
import { inverseDocumentFrequency, itemTerms } from './content'
import { addPageSums } from './engagement'
import type { ItemRows } from './itemColumns'
import { localityKey, type SimilarityIndex } from './similarity'
import {
  buildSparseMatrix,
  keepLargestPerRow,
  normaliseRows,
  transpose,
  type SparseMatrix,
} from './sparse'
import type { CatalogueItem, Interaction } from './types'

// What depends on the catalogue alone, in index row order.
export interface CatalogueFacts {
  version: string
  builtAt: number
  itemIds: string[]
  categories: string[][]
  parentCategories: string[][]
  createdAt: number[]
}

export interface PlannedCatalogue {
  facts: CatalogueFacts
  // The index with its content side only: neighbour batches add the merged co-engagement.
  contentIndex: SimilarityIndex
}

export function emptyMatrix(rowCount: number): SparseMatrix {
  return {
    rowCount,
    columnCount: 0,
    rowStart: new Int32Array(rowCount + 1),
    columns: new Int32Array(0),
    values: new Float32Array(0),
  }
}

export function planCatalogue(
  catalogue: CatalogueItem[],
  options: { now: number; version: string },
): PlannedCatalogue {
  const planner = createCataloguePlanner(options)
  planner.add(catalogue)
  return planner.finish()
}

export interface CataloguePlanner {
  // One page of the catalogue (D1's pages, in any order that stays the same run to run).
  add(page: CatalogueItem[]): void
  finish(): PlannedCatalogue
}

// The catalogue step without the catalogue in memory: each page is reduced at once to its
// ids, shared category lists, times and term numbers (typed arrays), so the step holds a
// few bytes per video instead of the items' objects (25 MB at 50k videos). The result is
// exactly `buildContentModel(orderForLocality(items))`: rows are put in locality order and
// terms renumbered in order of first use afterwards, as the one-shot build numbers them.
export function createCataloguePlanner(options: {
  now: number
  version: string
}): CataloguePlanner {
  const ids: string[] = []
  const categories: string[][] = []
  const parentCategories: string[][] = []
  const createdAt: number[] = []
  const localityKeys: string[] = []
  // A few dozen distinct category lists are shared by every video.
  const shared = new Map<string, string[]>()
  const canonical = (list: string[]): string[] => {
    const key = list.join('\n')
    let found = shared.get(key)
    if (!found) {
      found = [...list]
      shared.set(key, found)
    }
    return found
  }
  const termIndex = new Map<string, number>()
  let termStart: Int32Array = new Int32Array(1024)
  let terms: Int32Array = new Int32Array(4096)
  let termCount = 0
  return {
    add(page) {
      for (const item of page) {
        if (item.published === false) continue
        const row = ids.length
        ids.push(item.id)
        categories.push(canonical(item.categories))
        parentCategories.push(canonical(item.parentCategories))
        createdAt.push(item.createdAt)
        localityKeys.push(localityKey(item))
        for (const term of itemTerms(item)) {
          let column = termIndex.get(term)
          if (column === undefined) {
            column = termIndex.size
            termIndex.set(term, column)
          }
          if (termCount === terms.length) terms = grown(terms)
          terms[termCount++] = column
        }
        if (row + 2 > termStart.length) termStart = grown(termStart)
        termStart[row + 1] = termCount
      }
    },
    finish() {
      const n = ids.length
      const order = ids.map((_, i) => i)
      order.sort((a, b) => {
        const x = localityKeys[a] ?? ''
        const y = localityKeys[b] ?? ''
        return x < y ? -1 : x > y ? 1 : a - b
      })
      localityKeys.length = 0
      const renumbered = new Int32Array(termIndex.size).fill(-1)
      termIndex.clear()
      let vocabularySize = 0
      const rows = new Int32Array(termCount)
      const columns = new Int32Array(termCount)
      let at = 0
      order.forEach((item, r) => {
        for (let p = termStart[item] ?? 0; p < (termStart[item + 1] ?? 0); p++) {
          const provisional = terms[p] ?? 0
          let column = renumbered[provisional] ?? -1
          if (column < 0) {
            column = vocabularySize++
            renumbered[provisional] = column
          }
          rows[at] = r
          columns[at] = column
          at++
        }
      })
      const documentFrequency = new Int32Array(vocabularySize)
      for (const column of columns) documentFrequency[column] = (documentFrequency[column] ?? 0) + 1
      const idf = new Float64Array(vocabularySize)
      for (let t = 0; t < vocabularySize; t++) {
        idf[t] = inverseDocumentFrequency(n, documentFrequency[t] ?? 0)
      }
      // Float32 as the matrix stores them (no duplicates to sum: terms are unique per item).
      const values = new Float32Array(termCount)
      for (let i = 0; i < termCount; i++) values[i] = idf[columns[i] ?? 0] ?? 0
      terms = new Int32Array(0)
      termStart = new Int32Array(0)
      const matrix = normaliseRows(buildSparseMatrix(n, vocabularySize, rows, columns, values))
      const itemIds = order.map((i) => ids[i] ?? '')
      return {
        facts: {
          version: options.version,
          builtAt: options.now,
          itemIds,
          categories: order.map((i) => categories[i] ?? []),
          parentCategories: order.map((i) => parentCategories[i] ?? []),
          createdAt: order.map((i) => createdAt[i] ?? 0),
        },
        contentIndex: {
          version: options.version,
          builtAt: options.now,
          itemIds,
          content: matrix,
          coEngagement: emptyMatrix(n),
          coEngagementDegree: new Float32Array(n),
        },
      }
    },
  }
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2)
  b.set(a)
  return b
}

// One shard's columns of the co-engagement matrix (users x items after the per-user cap,
// log-damped), as item-major triplets: items ascend, and users ascend within an item.
export interface ShardColumns {
  // Users of this shard with any positive interaction, the columns' local numbers.
  userCount: number
  items: Int32Array
  users: Int32Array
  values: Float32Array
}

// What the assembling step needs from a shard: small, per item or per user.
export interface ShardSums {
  // Decayed engagement of the items this shard's users touched (index rows, raw sums).
  engagementRows: number[]
  engagementRaw: number[]
  // Sum and count of the index rows each user interacted with (see `batchUsers`).
  userIds: string[]
  rowSums: number[]
  rowCounts: number[]
}

export interface PlanShard {
  // One page of the shard's users' interactions; a user's pages in the log's order.
  add(page: Interaction[]): void
  finish(): { columns: ShardColumns; sums: ShardSums }
}

export function createPlanShard(
  row: ItemRows,
  options: Partial<CoEngagementOptions> & { now: number },
): PlanShard {
  const { now } = options
  const collector = createInteractionCollector(row, options)
  const engagement = new Map<number, number>()
  const userRows = new Map<string, { sum: number; count: number }>()
  return {
    add(page) {
      collector.add(page)
      // Scored per page as the one-shot planner does (sums in another grouping may differ
      // in the last bit, nothing more).
      addPageSums(
        page,
        row,
        userRows,
        (r, raw) => engagement.set(r, (engagement.get(r) ?? 0) + raw),
        now,
      )
    },
    finish() {
      const { userIds, byUser } = collector.finish()
      const byItem = transpose(byUser)
      const items = new Int32Array(byItem.columns.length)
      for (let r = 0; r < byItem.rowCount; r++) {
        items.fill(r, byItem.rowStart[r] ?? 0, byItem.rowStart[r + 1] ?? 0)
      }
      const touchedRows = [...engagement.keys()].sort((a, b) => a - b)
      const users = [...userRows.keys()].sort(compareIds)
      return {
        columns: {
          userCount: userIds.length,
          items,
          users: byItem.columns,
          values: byItem.values,
        },
        sums: {
          engagementRows: touchedRows,
          engagementRaw: touchedRows.map((r) => engagement.get(r) ?? 0),
          userIds: users,
          rowSums: users.map((u) => userRows.get(u)?.sum ?? 0),
          rowCounts: users.map((u) => userRows.get(u)?.count ?? 0),
        },
      }
    },
  }
}

// The shards' columns, in the order of their user ranges, as the co-engagement side of
// the index: the same matrix the one-shot build makes, with the per-item cap applied to
// the merged rows (a shard alone cannot know an item's strongest users).
export function mergeShardColumns(
  itemCount: number,
  shards: ShardColumns[],
  options: Partial<Pick<CoEngagementOptions, 'maxUsersPerItem' | 'alpha'>> = {},
): { matrix: SparseMatrix; itemDegree: Float32Array } {
  const opts = { ...defaultCoEngagementOptions, ...options }
  const rowStart = new Int32Array(itemCount + 1)
  let total = 0
  let userCount = 0
  for (const shard of shards) {
    for (let i = 0; i < shard.items.length; i++) {
      const r = shard.items[i] ?? 0
      rowStart[r + 1] = (rowStart[r + 1] ?? 0) + 1
    }
    total += shard.items.length
    userCount += shard.userCount
  }
  for (let r = 0; r < itemCount; r++) rowStart[r + 1] = (rowStart[r + 1] ?? 0) + (rowStart[r] ?? 0)
  const cursor = rowStart.slice(0, itemCount)
  const columns = new Int32Array(total)
  const values = new Float32Array(total)
  // Shards in range order, users ascending within each: every row's columns ascend.
  let offset = 0
  for (const shard of shards) {
    for (let i = 0; i < shard.items.length; i++) {
      const r = shard.items[i] ?? 0
      const at = cursor[r] ?? 0
      columns[at] = offset + (shard.users[i] ?? 0)
      values[at] = shard.values[i] ?? 0
      cursor[r] = at + 1
    }
    offset += shard.userCount
  }
  const byItem: SparseMatrix = {
    rowCount: itemCount,
    columnCount: userCount,
    rowStart,
    columns,
    values,
  }
  return walkCoEngagement(keepLargestPerRow(byItem, opts.maxUsersPerItem), opts.alpha)
}

export function withCoEngagement(
  contentIndex: SimilarityIndex,
  merged: { matrix: SparseMatrix; itemDegree: Float32Array },
): SimilarityIndex {
  return { ...contentIndex, coEngagement: merged.matrix, coEngagementDegree: merged.itemDegree }
}

// Shard boundaries over sorted user ids: shard k holds ids in (after, upto], the first from
// '' and the last unbounded, so every user (banned or inactive ones too: their interactions
// count in the one-shot build) falls in exactly one shard.
export interface UserRange {
  after: string
  upto: string | null
}

export function planUserRanges(sortedActiveUsers: string[], usersPerShard: number): UserRange[] {
  const size = Math.max(1, Math.floor(usersPerShard))
  const ranges: UserRange[] = []
  let after = ''
  for (let i = size - 1; i < sortedActiveUsers.length - 1; i += size) {
    const upto = sortedActiveUsers[i] ?? ''
    ranges.push({ after, upto })
    after = upto
  }
  ranges.push({ after, upto: null })
  return ranges
}

export function inUserRange(userId: string, range: UserRange): boolean {
  return userId > range.after && (range.upto === null || userId <= range.upto)
}
