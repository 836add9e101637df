// The planning step's assembling piece (see shards.ts): the shard that completes the count
// adds up every shard's per-item sums into engagement, trending and category lists, and
// orders the users for their batches.

import { compareIds } from './collaborative'
import { normaliseEngagement } from './engagement'
import type { ItemColumns } from './itemColumns'
import type { ShardSums } from './shards'
import type { ScoredItem } from './types'

// The part of `RebuildFacts` that depends on interactions; the rest is the catalogue step's.
export interface EngagementFacts {
  engagement: number[]
  trending: ScoredItem[]
}

export interface AssembledRebuild {
  engagement: EngagementFacts
  categoryLists: Map<string, string[]>
  parentCategoryLists: Map<string, string[]>
  // Users ordered so that a batch holds users of similar taste (as `createRebuildPlanner`).
  batchUsers(userIds: string[], batchSize: number): string[][]
}

export interface RebuildAssembler {
  // One shard's sums; a missing shard (lost in the queue) is simply never added.
  add(sums: ShardSums): void
  finish(): AssembledRebuild
}

// The shards' sums -> engagement, trending and category lists, with the same order and ties
// as `buildTrending` / `buildCategoryLists` but over row numbers: it holds the item columns,
// a few numbers per item and one key per user, never an interaction, and decodes only the
// ids it writes out (~70 bytes a video with 16-character ids instead of ~150).
export function createRebuildAssembler(
  catalogue: ItemColumns,
  options: { trendingSize: number; categoryListSize: number },
): RebuildAssembler {
  const { ids, createdAt } = catalogue
  const n = ids.size
  const raw = new Float64Array(n)
  const keys = new Map<string, number>()
  return {
    add(shard) {
      shard.engagementRows.forEach((r, i) => {
        raw[r] = (raw[r] ?? 0) + (shard.engagementRaw[i] ?? 0)
      })
      shard.userIds.forEach((id, i) => {
        const count = shard.rowCounts[i] ?? 0
        if (count > 0) keys.set(id, (shard.rowSums[i] ?? 0) / count)
      })
    },
    finish() {
      const engagement = normaliseEngagement(Array.from(raw))
      const byRank = (a: number, b: number): number =>
        (engagement[b] ?? 0) - (engagement[a] ?? 0) ||
        (createdAt[b] ?? 0) - (createdAt[a] ?? 0) ||
        ids.compare(a, b)
      const rows = new Uint32Array(n)
      for (let r = 0; r < n; r++) rows[r] = r
      rows.sort(byRank)
      const trending = Array.from(rows.subarray(0, options.trendingSize), (r) => ({
        itemId: ids.idAt(r),
        score: engagement[r] ?? 0,
      }))
      // Walking every row once in rank order fills each category's list with its best.
      const lists = (field: Uint32Array): Map<string, string[]> => {
        const out = new Map<string, string[]>()
        for (const r of rows) {
          for (const category of catalogue.sets[field[r] ?? 0] ?? []) {
            let list = out.get(category)
            if (!list) {
              list = []
              out.set(category, list)
            }
            if (list.length < options.categoryListSize) list.push(ids.idAt(r))
          }
        }
        return out
      }
      return {
        engagement: { engagement, trending },
        categoryLists: lists(catalogue.categories),
        parentCategoryLists: lists(catalogue.parentCategories),
        batchUsers(userIds, batchSize) {
          const ordered = userIds
            .map((id) => ({ id, key: keys.get(id) ?? Number.POSITIVE_INFINITY }))
            .sort((a, b) => a.key - b.key || compareIds(a.id, b.id))
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
