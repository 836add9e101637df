// The item-to-item index the nightly rebuild shares between queue batches, and the batch
// step itself. The cron builds and stores the index once (O(non-zeros)); each batch
// decodes it, builds the inverted lists and answers a slice of items.

import { buildCoEngagementModel, type CoEngagementOptions } from './collaborative'
import { buildContentModel } from './content'
import type { HeadNeighbours } from './headModel'
import {
  byScoreThenIndex,
  prepareRowSearch,
  clearRow,
  rowLength,
  scatterRow,
  scatteredDot,
  type Neighbour,
  similarRows,
  type RowSearch,
  type SimilarRowsOptions,
  type SparseMatrix,
} from './sparse'
import type { CatalogueItem, Interaction, ScoredItem } from './types'

export interface SimilarityIndex {
  version: string
  builtAt: number
  itemIds: string[]
  // Rows of both matrices follow itemIds.
  content: SparseMatrix
  coEngagement: SparseMatrix
  // Each row's total engagement (see collaborative.ts): the walk's popularity damping.
  coEngagementDegree: Float32Array
  // Set when `coEngagement` is a neighbour batch's part of the matrix (batchCoEngagement.ts):
  // the whole matrix's longest user column, which decides how the search scores.
  coEngagementLongestColumn?: number
  // With it, the part by user as the batch read it (the search's postings, not transposed).
  coEngagementByUser?: SparseMatrix
}

export interface NeighbourOptions {
  k: number
  // Weight of co-engagement in the blend once a video has an audience; content similarity
  // takes the rest and all of it for a video nobody engaged with yet (cold start).
  collaborativeBlend: number
  // An item needs about this many engaged users before co-engagement gets half its weight,
  // so brand-new videos rank their neighbours by content alone.
  collaborativeConfidence: number
  // Shrinkage of co-engagement scores: shared / (shared + shrinkage); 0 for the walk.
  coEngagementShrinkage: number
  // RP3beta's beta: a candidate's walk score is divided by its engagement to this power, so
  // the neighbours of everything are not the same few hits.
  popularityDamping: number
  // Each side proposes this many times k candidates, so the blend can promote items strong
  // on both. On MovieLens validation 1 instead of 2 cut search CPU by a quarter and NDCG@10
  // from 0.1406 to 0.1388.
  candidateFactor: number
  content: Partial<SimilarRowsOptions>
  coEngagement: Partial<SimilarRowsOptions>
}

// Chosen on validation splits of two real logs (bench/recs/README.md).
export const defaultNeighbourOptions: NeighbourOptions = {
  k: 100,
  collaborativeBlend: 1,
  collaborativeConfidence: 5,
  coEngagementShrinkage: 0,
  popularityDamping: 0.3,
  candidateFactor: 2,
  content: { maxPostingLength: 200, maxDocumentFrequency: 0.5 },
  coEngagement: { maxPostingLength: 400, maxDocumentFrequency: 0.5 },
}

// Index rows grouped by category: a video's neighbours are mostly in its own category, so
// a search then touches a compact stretch of the score arrays and of the matrix, and a
// batch of consecutive rows keeps one category's posting lists in the CPU caches. Measured
// on the bench's 100k catalogue: the neighbour batches took about 30% less CPU.
export function localityKey(item: CatalogueItem): string {
  return `${item.parentCategories[0] ?? ''}\u0000${item.categories[0] ?? ''}`
}

export function orderForLocality(items: CatalogueItem[]): CatalogueItem[] {
  return items
    .map((item, i) => ({ item, i, key: localityKey(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
    .map((entry) => entry.item)
}

export function buildSimilarityIndex(
  items: CatalogueItem[],
  interactions: Interaction[],
  options: Partial<CoEngagementOptions> & { now: number; version?: string },
): SimilarityIndex {
  const published = orderForLocality(items.filter((item) => item.published !== false))
  const content = buildContentModel(published)
  const coEngagement = buildCoEngagementModel(content.itemIds, interactions, options)
  return {
    version: options.version ?? `recs-${options.now}`,
    builtAt: options.now,
    itemIds: content.itemIds,
    content: content.matrix,
    coEngagement: coEngagement.matrix,
    coEngagementDegree: coEngagement.itemDegree,
  }
}

export interface NeighbourSearch {
  index: SimilarityIndex
  options: NeighbourOptions
  content: RowSearch
  coEngagement: RowSearch
  // EASE's lists for the head of the catalogue (headModel.ts); they replace the walk there.
  head: HeadNeighbours
}

// What a search holds that depends on the version alone (the catalogue and the totals), so
// the next neighbour batch of the version, with the same options, takes it instead of
// computing it again; it keeps nothing of the batch's own part.
export interface VersionSearchParts {
  content: RowSearch
  degree: Float32Array
  damping: Float32Array
}

export function versionSearchParts(search: NeighbourSearch): VersionSearchParts {
  return {
    content: search.content,
    degree: search.index.coEngagementDegree,
    damping: search.coEngagement.targetWeights ?? new Float32Array(0),
  }
}

export function prepareNeighbourSearch(
  index: SimilarityIndex,
  options: Partial<NeighbourOptions> = {},
  head: HeadNeighbours = new Map(),
  reuse?: VersionSearchParts,
): NeighbourSearch {
  const opts = { ...defaultNeighbourOptions, ...options }
  let damping = reuse?.degree === index.coEngagementDegree ? reuse.damping : undefined
  if (!damping) {
    const fresh = new Float32Array(index.coEngagementDegree.length)
    index.coEngagementDegree.forEach((degree, row) => {
      fresh[row] = degree > 0 ? Math.pow(degree, -opts.popularityDamping) : 0
    })
    damping = fresh
  }
  // The part by user serves only to build the postings: the search keeps the capped ones.
  const { coEngagementByUser, ...searched } = index
  return {
    index: searched,
    options: opts,
    head,
    content:
      reuse?.content.matrix === index.content
        ? reuse.content
        : prepareRowSearch(index.content, {
            ...opts.content,
            k: opts.k * opts.candidateFactor,
            shrinkage: 0,
          }),
    coEngagement: prepareRowSearch(
      index.coEngagement,
      {
        ...opts.coEngagement,
        k: opts.k * opts.candidateFactor,
        shrinkage: opts.coEngagementShrinkage,
      },
      damping,
      index.coEngagementLongestColumn,
      coEngagementByUser,
    ),
  }
}

export interface ItemNeighbours {
  itemId: string
  neighbours: ScoredItem[]
}

export function neighboursOfRow(search: NeighbourSearch, row: number): ScoredItem[] {
  return neighbourRows(search, row).map((n) => ({
    itemId: search.index.itemIds[n.index] ?? '',
    score: n.score,
  }))
}

// The blended top-K of one row as row numbers. Walk scores are scaled so the row's best is
// 1, like a cosine, so the two sides blend on one scale (measured on the real logs: the
// scaling costs nothing against raw walk scores).
export function neighbourRows(search: NeighbourSearch, row: number): Neighbour[] {
  const { index, options } = search
  const fromHead = search.head.get(row)
  if (fromHead) return fromHead.slice(0, options.k)
  const engagedUsers = rowLength(index.coEngagement, row)
  const blend =
    options.collaborativeBlend * (engagedUsers / (engagedUsers + options.collaborativeConfidence))
  const shrinkage = options.coEngagementShrinkage
  const damping = search.coEngagement.targetWeights
  const collaborativeScores = new Map<number, number>()
  if (blend > 0) {
    for (const n of similarRows(search.coEngagement, row)) collaborativeScores.set(n.index, n.score)
  }
  let best = 0
  for (const score of collaborativeScores.values()) best = Math.max(best, score)
  for (const [candidate, score] of collaborativeScores) {
    collaborativeScores.set(candidate, best > 0 ? score / best : 0)
  }
  const exactCollaborative = (candidate: number): number => {
    if (blend <= 0 || best <= 0) return 0
    const exact = scatteredDot(search.coEngagement, candidate)
    const shrunk =
      shrinkage > 0 ? (exact.dot * exact.shared) / (exact.shared + shrinkage) : exact.dot
    return Math.min(1, (shrunk * (damping?.[candidate] ?? 1)) / best)
  }
  // Candidates from either side; the side that did not propose one is scored exactly.
  const blended: Neighbour[] = []
  const add = (candidate: number, content: number, collaborative: number): void => {
    const score = (1 - blend) * content + blend * collaborative
    if (score > 0) blended.push({ index: candidate, score })
  }
  // Exact scores against this row: its columns marked once (scatteredDot = rowDot).
  scatterRow(search.coEngagement, row)
  for (const n of similarRows(search.content, row)) {
    const collaborative = collaborativeScores.get(n.index)
    if (collaborative === undefined) add(n.index, n.score, exactCollaborative(n.index))
    else {
      add(n.index, n.score, collaborative)
      collaborativeScores.delete(n.index)
    }
  }
  clearRow(search.coEngagement, row)
  scatterRow(search.content, row)
  for (const [candidate, collaborative] of collaborativeScores) {
    add(candidate, scatteredDot(search.content, candidate).dot, collaborative)
  }
  clearRow(search.content, row)
  blended.sort(byScoreThenIndex)
  return blended.slice(0, options.k)
}

// One queue batch: rows [start, end) of the index.
export function findNeighbours(search: NeighbourSearch, batch: NeighbourBatch): ItemNeighbours[] {
  const out: ItemNeighbours[] = []
  const end = Math.min(batch.end, search.index.itemIds.length)
  for (let row = Math.max(0, batch.start); row < end; row++) {
    out.push({ itemId: search.index.itemIds[row] ?? '', neighbours: neighboursOfRow(search, row) })
  }
  return out
}

export interface NeighbourBatch {
  start: number
  end: number
}

// What the cron enqueues: contiguous row ranges, so a message is two integers plus the
// index version, and a redelivered batch recomputes and overwrites the same KV keys.
export function planNeighbourBatches(itemCount: number, batchSize: number): NeighbourBatch[] {
  const size = Math.max(1, Math.floor(batchSize))
  const batches: NeighbourBatch[] = []
  for (let start = 0; start < itemCount; start += size) {
    batches.push({ start, end: Math.min(itemCount, start + size) })
  }
  return batches
}

// Binary form for KV or R2: a JSON header then the seven typed arrays, 4-byte aligned.
export function encodeSimilarityIndex(index: SimilarityIndex): Uint8Array {
  const arrays = [
    index.content.rowStart,
    index.content.columns,
    index.content.values,
    index.coEngagement.rowStart,
    index.coEngagement.columns,
    index.coEngagement.values,
    index.coEngagementDegree,
  ]
  const header = new TextEncoder().encode(
    JSON.stringify({
      version: index.version,
      builtAt: index.builtAt,
      itemIds: index.itemIds,
      contentColumns: index.content.columnCount,
      coEngagementColumns: index.coEngagement.columnCount,
      lengths: arrays.map((a) => a.length),
    }),
  )
  const headerBytes = Math.ceil(header.length / 4) * 4
  const total = 4 + headerBytes + arrays.reduce((sum, a) => sum + a.byteLength, 0)
  const out = new Uint8Array(total)
  new DataView(out.buffer).setUint32(0, header.length, true)
  out.set(header, 4)
  let offset = 4 + headerBytes
  for (const array of arrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset)
    offset += array.byteLength
  }
  return out
}

interface EncodedHeader {
  version: string
  builtAt: number
  itemIds: string[]
  contentColumns: number
  coEngagementColumns: number
  lengths: number[]
}

export function decodeSimilarityIndex(bytes: Uint8Array): SimilarityIndex {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = view.getUint32(0, true)
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)),
  ) as EncodedHeader
  let offset = 4 + Math.ceil(headerLength / 4) * 4
  // Views over the stored bytes when aligned (the usual case for a fresh KV/R2 read) save a
  // full copy of the index in every queue invocation.
  const take = (i: number): { buffer: ArrayBufferLike; byteOffset: number; length: number } => {
    const length = header.lengths[i] ?? 0
    const start = bytes.byteOffset + offset
    offset += length * 4
    if (start % 4 === 0) return { buffer: bytes.buffer, byteOffset: start, length }
    const copy = bytes.slice(offset - length * 4, offset)
    return { buffer: copy.buffer, byteOffset: 0, length }
  }
  const int32 = (i: number): Int32Array => {
    const t = take(i)
    return new Int32Array(t.buffer, t.byteOffset, t.length)
  }
  const float32 = (i: number): Float32Array => {
    const t = take(i)
    return new Float32Array(t.buffer, t.byteOffset, t.length)
  }
  const itemCount = header.itemIds.length
  const content: SparseMatrix = {
    rowCount: itemCount,
    columnCount: header.contentColumns,
    rowStart: int32(0),
    columns: int32(1),
    values: float32(2),
  }
  const coEngagement: SparseMatrix = {
    rowCount: itemCount,
    columnCount: header.coEngagementColumns,
    rowStart: int32(3),
    columns: int32(4),
    values: float32(5),
  }
  return {
    version: header.version,
    builtAt: header.builtAt,
    itemIds: header.itemIds,
    content,
    coEngagement,
    coEngagementDegree: float32(6),
  }
}
