// What `rebuildScale.ts` checks so that a change to the engine can be shown to keep its output:
// - `--digest`: a SHA-256 of every `similar:` list and every feed as written, so runs of two
//   versions of the engine can be compared list for list (`createListDigests`);
// - `--plan-only --check`: every neighbour batch, reading only its rows' users from the
//   shards, gives the merged index's lists (`differingNeighbourLists`);
// - `--before`: the sharded planning step gives the one-shot step's index (`sameIndex`).

import { createHash } from 'node:crypto'
import {
  createNeighbourLists,
  prepareNeighbourSearch,
  type HeadNeighbours,
  type SimilarityIndex,
} from '../../worker/src/features/recommendations/engine'
import { batchSearch, loadVersion, type ReadStored, type ReadStoredRange } from './neighbourBatch'

export interface ListDigests {
  // Each `similar:` list and each feed as serialised for KV, in the order written.
  similar(list: string): void
  feed(feed: string): void
  // The digests so far, in hex; feeds passed afterwards are not counted (the bench's cold
  // batches rank some users again).
  finish(): { similar: string; feeds: string }
}

export function createListDigests(): ListDigests {
  const similar = createHash('sha256')
  const feeds = createHash('sha256')
  let finished: { similar: string; feeds: string } | undefined
  return {
    similar: (list) => {
      if (!finished) similar.update(list)
    },
    feed: (feed) => {
      if (!finished) feeds.update(feed)
    },
    finish: () => {
      finished ??= { similar: similar.digest('hex'), feeds: feeds.digest('hex') }
      return finished
    },
  }
}

// Neighbour lists that differ between the batches (each reading its rows' users) and the
// whole merged index.
export async function differingNeighbourLists(run: {
  read: ReadStored
  readRange: ReadStoredRange
  head: HeadNeighbours
  neighbourBatches: { start: number; end: number }[]
  loadIndex: () => SimilarityIndex
}): Promise<number> {
  const { read, readRange, head } = run
  const whole = createNeighbourLists(prepareNeighbourSearch(run.loadIndex(), {}, head))
  const loaded = await loadVersion(read, readRange, head)
  let differing = 0
  for (const batch of run.neighbourBatches) {
    const lists = createNeighbourLists((await batchSearch(readRange, loaded, batch)).search)
    for (let r = batch.start; r < batch.end; r++) {
      if (JSON.stringify(lists.of(r)) !== JSON.stringify(whole.of(r))) differing++
    }
  }
  return differing
}

// Whether two indexes hold the same co-engagement matrix, degrees and content values.
export function sameIndex(a: SimilarityIndex, b: SimilarityIndex): boolean {
  const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean =>
    x.length === y.length && Array.prototype.every.call(x, (v: number, i: number) => v === y[i])
  return (
    same(a.coEngagement.rowStart, b.coEngagement.rowStart) &&
    same(a.coEngagement.columns, b.coEngagement.columns) &&
    same(a.coEngagement.values, b.coEngagement.values) &&
    same(a.coEngagementDegree, b.coEngagementDegree) &&
    same(a.content.values, b.content.values)
  )
}
