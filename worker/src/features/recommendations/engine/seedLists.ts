// The neighbour lists one user batch ranks with: the `similar:` list of each of its users'
// seeds, read by id. A batch's reads follow its users (at most ~50 seeds each), not the
// catalogue. Before, a batch read the neighbour blocks (one per neighbour batch) that held its
// seeds; a batch's seeds spread over nearly every block, so it read 56 MB at 100k videos and,
// on paper, ~560 MB at 1M (bench/recs/README.md).

import { neighbourArrays, type NeighbourArrays } from './ranking'
import type { ScoredItem } from './types'

// Workers KV answers up to 100 keys in one bulk read, which counts as one subrequest: a batch
// of 100 users with 50 seeds each makes at most 50 reads.
export const SEED_LISTS_PER_READ = 100

// A video's neighbours as the neighbour batches store them in KV (`similar:{id}`): two flat
// arrays rather than an object per neighbour. User batches read ~50 lists per user, and this
// shape is half the size and parses ~5x faster (bench/recs/README.md, session 9).
export interface SimilarList {
  version: string
  builtAt: number
  ids: string[]
  // Each score x SIMILAR_SCORE_SCALE, rounded: neighbour lists hold scores to 1/65535
  // (batches.ts), so the stored integers give back the very same numbers.
  scores: number[]
}

export const SIMILAR_SCORE_SCALE = 65535

// What a reader may find under `similar:{id}`: lists written before session 9 hold
// `items: ScoredItem[]` until the next rebuild replaces them.
export type StoredSimilarList = Partial<SimilarList> & { version: string; items?: ScoredItem[] }

export function similarList(version: string, builtAt: number, items: ScoredItem[]): SimilarList {
  return {
    version,
    builtAt,
    ids: items.map((s) => s.itemId),
    scores: items.map((s) => Math.round(s.score * SIMILAR_SCORE_SCALE)),
  }
}

export function similarItems(list: StoredSimilarList | null | undefined): ScoredItem[] | undefined {
  if (!list) return undefined
  if (Array.isArray(list.items)) return list.items
  const { ids, scores } = list
  if (!Array.isArray(ids) || !Array.isArray(scores)) return undefined
  return ids.map((itemId, i) => ({ itemId, score: (scores[i] ?? 0) / SIMILAR_SCORE_SCALE }))
}

export interface SeedLists {
  add(itemId: string, list: StoredSimilarList | null | undefined): void
  // The list as stored (ids, scores x SIMILAR_SCORE_SCALE; one in the older `items` form with
  // scale 1), read-only for callers; undefined for a seed without a list.
  arrays(itemId: string): NeighbourArrays | undefined
  // Seeds no list was found for: a video newer than the last rebuild whose neighbour batch
  // was lost, or whose list KV has not shown here yet.
  missing(): number
  // Seeds answered by an older version's list: a write KV had not yet shown at this location
  // (up to ~60 s elsewhere). Still a fair list of neighbours, so it is used; ranking drops any
  // neighbour the current catalogue no longer holds.
  stale(): number
  size(): number
}

export function createSeedLists(version: string): SeedLists {
  // Lists as read: the stored arrays, not an object per neighbour (a batch of 100 users
  // holds thousands of lists; ranking walks the arrays: `RankingSources.neighbours`).
  const lists = new Map<string, NeighbourArrays>()
  let missing = 0
  let stale = 0
  return {
    add(itemId, list) {
      if (!list) {
        missing++
        return
      }
      const { ids, scores } = list
      const stored: NeighbourArrays | undefined = Array.isArray(list.items)
        ? neighbourArrays(list.items)
        : Array.isArray(ids) && Array.isArray(scores)
          ? { ids, scores, scale: SIMILAR_SCORE_SCALE }
          : undefined
      if (!stored) {
        missing++
        return
      }
      if (list.version !== version) stale++
      lists.set(itemId, stored)
    },
    arrays: (itemId) => lists.get(itemId),
    missing: () => missing,
    stale: () => stale,
    size: () => lists.size,
  }
}

// The seeds' ids in reads of at most SEED_LISTS_PER_READ, each id once.
export function seedReads(itemIds: Iterable<string>): string[][] {
  const unique = [...new Set(itemIds)]
  const reads: string[][] = []
  for (let i = 0; i < unique.length; i += SEED_LISTS_PER_READ) {
    reads.push(unique.slice(i, i + SEED_LISTS_PER_READ))
  }
  return reads
}
