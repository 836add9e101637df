// `rebuildScale.ts --plan-only`: after the planning pieces, one cold neighbour batch as the
// Worker runs it (its rows' users read from the shards), beside the paths it replaced on the
// same data in the same process: the head step and the same batch over every shard's columns
// merged, and (with `--before`) over the one-shot index. `--check` compares every batch's lists
// with the merged index's (sameOutput.ts).

import {
  buildHeadNeighbours,
  createNeighbourLists,
  decodeSimilarityIndex,
  encodeHeadNeighbours,
  prepareNeighbourSearch,
  type HeadNeighbours,
  type SimilarityIndex,
} from '../../worker/src/features/recommendations/engine'
import { batchSearch, loadVersion, type ReadStored, type ReadStoredRange } from './neighbourBatch'
import { differingNeighbourLists } from './sameOutput'

export interface PlanOnlyRun {
  read: ReadStored
  readRange: ReadStoredRange
  // What `readRange` has read so far.
  rangeReads: { bytes: number }
  head: HeadNeighbours
  headBytes: Uint8Array
  neighbourBatches: { start: number; end: number }[]
  loadIndex: () => SimilarityIndex
  oneShot: Uint8Array | undefined
  check: boolean
  /** Runs `run` as one measured invocation named `name`. */
  piece: <T>(name: string, run: () => T | Promise<T>) => Promise<T>
  /** Samples the heap (the peak of the piece being measured). */
  sample: () => void
  mb: (bytes: number) => number
}

/** Bytes of a co-engagement matrix (or a batch's part of it). */
export const partBytes = (m: { rowStart: Int32Array; columns: Int32Array; values: Float32Array }) =>
  m.rowStart.byteLength + m.columns.byteLength + m.values.byteLength

export async function comparePlanOnly(run: PlanOnlyRun) {
  const { read, head, headBytes, neighbourBatches, loadIndex, oneShot, piece, sample, mb } = run
  const { readRange, rangeReads } = run
  const partMB = (m: Parameters<typeof partBytes>[0]) => mb(partBytes(m))
  const first = neighbourBatches[0] ?? { start: 0, end: 0 }
  const coldPart = await piece('coldNeighbourBatch', async () => {
    const before = rangeReads.bytes
    const loaded = await loadVersion(read, readRange, head)
    sample()
    const headsBytes = rangeReads.bytes - before
    const { search, part, users } = await batchSearch(readRange, loaded, first)
    const lists = createNeighbourLists(search)
    sample()
    for (let r = first.start; r < first.end; r++) lists.of(r)
    sample()
    return {
      entries: part.columns.length,
      users,
      mb: partMB(part),
      headsMB: mb(headsBytes),
      readMB: mb(rangeReads.bytes - before - headsBytes),
    }
  })
  // The head step as before: every shard's columns merged, then the head rows' users.
  const headMerged = await piece('headMerged', () => {
    const index = loadIndex()
    sample()
    return encodeHeadNeighbours(buildHeadNeighbours(index.coEngagement, 100))
  })
  const sameHead =
    headMerged.length === headBytes.length && headMerged.every((b, i) => b === headBytes[i])
  // The same cold batch as before this change: every shard's columns merged.
  const merged = await piece('coldNeighbourBatchMerged', () => {
    const index = loadIndex()
    sample()
    const lists = createNeighbourLists(prepareNeighbourSearch(index, {}, head))
    sample()
    for (let r = first.start; r < first.end; r++) lists.of(r)
    sample()
    return { entries: index.coEngagement.columns.length, mb: partMB(index.coEngagement) }
  })
  // The same cold batch before sharding: it decoded the one-shot index.
  if (oneShot) {
    await piece('coldNeighbourBatchOneShot', () => {
      const index = decodeSimilarityIndex(oneShot.slice())
      sample()
      const lists = createNeighbourLists(prepareNeighbourSearch(index))
      sample()
      for (let r = first.start; r < first.end; r++) lists.of(r)
      sample()
    })
  }
  // `--check`: each batch, reading only its rows' users, gives the merged index's lists.
  const differingLists = run.check ? await differingNeighbourLists(run) : undefined
  return { coldPart, merged, sameHead, differingLists }
}
