// A neighbour batch as the Worker runs it (worker/src/features/recommendations/
// neighbour-batches.ts), over the bench's stand-in for R2: each read returns a fresh copy of
// the stored bytes, as an R2 read does.
// - `loadVersion`: what a warm isolate keeps per version (the content side, the assembling
//   step's co-engagement totals, the head step's lists, the content search and damping of
//   the previous batch);
// - `batchSearch`: one batch's own part of the co-engagement matrix, read from the shards one
//   at a time, only the ranges of their files that hold its rows' users
//   (engine/batchCoEngagement.ts, shardReads.ts), and the search over it;
// - `headFromShards`: the head step, which keeps only the head videos' users;
// - `mergedIndex`: the path both replaced, every shard's columns merged into the whole
//   matrix.

import {
  createHeadFromShards,
  decodeCoEngagementTotals,
  decodeShardColumns,
  decodeSimilarityIndex,
  mergeShardColumns,
  prepareNeighbourSearch,
  readBatchCoEngagement,
  readShardHeads,
  userReadsPerShard,
  withBatchCoEngagement,
  withCoEngagement,
  versionSearchParts,
  type CoEngagementTotals,
  type ByteRange,
  type HeadNeighbours,
  type ReadShardRange,
  type ShardHead,
  type Neighbour,
  type NeighbourSearch,
  type VersionSearchParts,
  type SimilarityIndex,
  type SparseMatrix,
} from '../../worker/src/features/recommendations/engine'

// Keys: `content`, `walk`, `columns{k}`.
export type ReadStored = (key: string) => Uint8Array
// A ranged read: a fresh copy of those bytes only, as R2's ranged get returns.
export type ReadStoredRange = (key: string, range: ByteRange) => Uint8Array

// Ranged reads of stored bytes, counted. `nextShard` is a moment to sample memory: before the
// first read of each shard in turn (as often as the batch sampled when it read whole shards).
export function countedRanges(
  stored: (key: string) => Uint8Array,
  nextShard: () => void,
): { readRange: ReadStoredRange; counts: { reads: number; bytes: number } } {
  const counts = { reads: 0, bytes: 0 }
  let lastKey = ''
  const readRange: ReadStoredRange = (key, range) => {
    if (key !== lastKey) nextShard()
    lastKey = key
    counts.reads++
    counts.bytes += range.length
    return stored(key).slice(range.offset, range.offset + range.length)
  }
  return { readRange, counts }
}

export interface LoadedVersion {
  contentIndex: SimilarityIndex
  totals: CoEngagementTotals
  shardHeads: (ShardHead | undefined)[]
  head: HeadNeighbours
  reuse?: VersionSearchParts
}

const shardRanges =
  (readRange: ReadStoredRange): ReadShardRange =>
  (shard, range) =>
    Promise.resolve(readRange(`columns${shard}`, range))

export async function loadVersion(
  read: ReadStored,
  readRange: ReadStoredRange,
  head: HeadNeighbours,
): Promise<LoadedVersion> {
  const totals = decodeCoEngagementTotals(read('walk'))
  return {
    contentIndex: decodeSimilarityIndex(read('content')),
    totals,
    shardHeads: await readShardHeads(totals.shardOffsets, shardRanges(readRange)),
    head,
  }
}

export interface BatchPart {
  search: NeighbourSearch
  // The batch's part of the co-engagement matrix (entries, users it holds).
  part: SparseMatrix
  users: number
}

export async function batchSearch(
  readRange: ReadStoredRange,
  loaded: LoadedVersion,
  rows: { start: number; end: number },
): Promise<BatchPart> {
  const { totals } = loaded
  const part = await readBatchCoEngagement(
    totals,
    loaded.shardHeads,
    rows,
    shardRanges(readRange),
    userReadsPerShard(totals.shardOffsets.length),
  )
  const search = prepareNeighbourSearch(
    withBatchCoEngagement(loaded.contentIndex, totals, part),
    {},
    loaded.head,
    loaded.reuse,
  )
  loaded.reuse = versionSearchParts(search)
  // Distinct users the part holds.
  const { rowStart } = part.byUser
  let users = 0
  for (let u = 0; u + 1 < rowStart.length; u++)
    if ((rowStart[u + 1] ?? 0) > (rowStart[u] ?? 0)) users++
  return { search, part: part.matrix, users }
}

export function mergedIndex(read: ReadStored, shardCount: number): SimilarityIndex {
  const content = decodeSimilarityIndex(read('content'))
  const columns = Array.from({ length: shardCount }, (_, k) =>
    decodeShardColumns(read(`columns${k}`)),
  )
  return withCoEngagement(content, mergeShardColumns(content.itemIds.length, columns))
}

export function headFromShards(
  read: ReadStored,
  afterShard: () => void = () => {},
): Map<number, Neighbour[]> {
  const totals = decodeCoEngagementTotals(read('walk'))
  const fit = createHeadFromShards(totals)
  for (let k = 0; k < totals.shardOffsets.length; k++) {
    fit.add(
      k,
      (totals.shardOffsets[k] ?? -1) >= 0 ? decodeShardColumns(read(`columns${k}`)) : undefined,
    )
    afterShard()
  }
  return fit.finish(100)
}
