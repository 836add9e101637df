// A neighbour batch as the Worker runs it (worker/src/features/recommendations/
// neighbour-batches.ts), over the bench's stand-in for R2: each read returns a fresh copy of
// the stored bytes, as an R2 read does.
// - `loadVersion`: what a warm isolate keeps per version (the content side, the assembling
//   step's co-engagement totals, the head step's lists, the content search and damping of
//   the previous batch);
// - `batchSearch`: one batch's own part of the co-engagement matrix, read from the shards one
//   at a time (engine/batchCoEngagement.ts), and the search over it;
// - `headFromShards`: the head step, which keeps only the head videos' users;
// - `mergedIndex`: the path both replaced, every shard's columns merged into the whole
//   matrix.

import {
  createBatchCoEngagement,
  createHeadFromShards,
  decodeCoEngagementTotals,
  decodeShardColumns,
  decodeSimilarityIndex,
  mergeShardColumns,
  prepareNeighbourSearch,
  withBatchCoEngagement,
  withCoEngagement,
  versionSearchParts,
  type CoEngagementTotals,
  type HeadNeighbours,
  type Neighbour,
  type NeighbourSearch,
  type VersionSearchParts,
  type SimilarityIndex,
  type SparseMatrix,
} from '../../worker/src/features/recommendations/engine'

// Keys: `content`, `walk`, `columns{k}`.
export type ReadStored = (key: string) => Uint8Array

export interface LoadedVersion {
  contentIndex: SimilarityIndex
  totals: CoEngagementTotals
  head: HeadNeighbours
  reuse?: VersionSearchParts
}

export function loadVersion(read: ReadStored, head: HeadNeighbours): LoadedVersion {
  return {
    contentIndex: decodeSimilarityIndex(read('content')),
    totals: decodeCoEngagementTotals(read('walk')),
    head,
  }
}

export interface BatchPart {
  search: NeighbourSearch
  // The batch's part of the co-engagement matrix (entries, users it holds).
  part: SparseMatrix
  users: number
}

export function batchSearch(
  read: ReadStored,
  loaded: LoadedVersion,
  rows: { start: number; end: number },
  // Called after each shard is read and dropped (the bench samples memory there).
  afterShard: () => void = () => {},
): BatchPart {
  const { totals } = loaded
  const builder = createBatchCoEngagement(totals, rows)
  for (let k = 0; k < totals.shardOffsets.length; k++) {
    builder.add(
      k,
      (totals.shardOffsets[k] ?? -1) >= 0 ? decodeShardColumns(read(`columns${k}`)) : undefined,
    )
    afterShard()
  }
  const part = builder.finish()
  const search = prepareNeighbourSearch(
    withBatchCoEngagement(loaded.contentIndex, totals, part),
    {},
    loaded.head,
    loaded.reuse,
  )
  loaded.reuse = versionSearchParts(search)
  // Distinct users the part holds (a mark per user of the version).
  const seen = new Uint8Array(loaded.totals.userCount)
  let users = 0
  for (const u of part.columns) if (seen[u] === 0 && ++users) seen[u] = 1
  return { search, part, users }
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
