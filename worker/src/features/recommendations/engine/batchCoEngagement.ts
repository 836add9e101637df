// A neighbour batch's own part of the co-engagement matrix, read from the planning shards'
// files one shard at a time instead of merging every shard into the whole matrix. Searching
// rows [start, end) touches only:
// - those rows' users (after the per-item cap), and
// - each such user's whole column: its capped posting list proposes candidates, and the
//   exact score of a candidate is a dot product over users the row shares with it, which
//   all sit in those columns.
// So the batch keeps the entries of the users of its rows, with the walk's weights computed
// from the assembling step's totals (coEngagementTotals.ts): the same values, row by row,
// as the whole matrix, for the only rows and users a search of its rows can reach. It reads
// only those users' entries (ranges of each shard's file: shardFile.ts, shardReads.ts), so
// what it reads and holds follows its rows' audience, not the catalogue (a few bytes per
// video remain: row offsets and the degrees).

import { capKeeps, shardSequence, type CoEngagementTotals } from './coEngagementTotals'
import { blockUsersRange, type ShardHead } from './shardFile'
import {
  planUserReads,
  shardUsersPart,
  type ReadShardRange,
  type ShardUserPart,
  type UserReads,
} from './shardReads'
import type { SimilarityIndex } from './similarity'
import type { SparseMatrix } from './sparse'

export interface BatchRows {
  start: number
  end: number
}

export interface BatchCoEngagement {
  // Items x users (global user numbers), walk-weighted; rows outside the batch hold only
  // their entries at the batch's users, enough for exact scores against the batch's rows.
  matrix: SparseMatrix
  // The same entries by user: the search's posting lists, as read, without a transpose.
  byUser: SparseMatrix
}

export interface BatchCoEngagementBuilder {
  // Every shard the totals counted, in range order (`undefined` for a lost one): the users
  // its file lists for the batch's rows, with their entries.
  add(shard: number, part: ShardUserPart | undefined): void
  finish(): BatchCoEngagement
}

// `capacity`: the entries the batch may keep, if known (fewer copies as they come).
export function createBatchCoEngagement(
  totals: CoEngagementTotals,
  rows: BatchRows,
  capacity = 1024,
): BatchCoEngagementBuilder {
  const keeps = capKeeps(totals)
  const n = totals.itemCount
  const initial = Math.max(1, capacity)
  let items: Int32Array = new Int32Array(initial)
  let users: Int32Array = new Int32Array(initial)
  let values: Float32Array = new Float32Array(initial)
  let size = 0
  // d_u of each kept user, summed over its items in ascending order as the walk sums it (a
  // slot per user of the version: 8 bytes a user, nothing per video).
  const userDegree = new Float64Array(totals.userCount)
  const shards = shardSequence(totals)
  const push = (item: number, user: number, value: number): void => {
    if (size === items.length) {
      items = grown(items)
      users = grown(users)
      const v = new Float32Array(values.length * 2)
      v.set(values)
      values = v
    }
    items[size] = item
    users[size] = user
    values[size] = value
    size++
  }
  return {
    add(shard, part) {
      const offset = shards.next(shard, part)
      if (offset === null || !part) return
      // A listed user is the batch's if the per-item cap keeps one of its entries in the
      // batch's rows (a block may be wider than the rows, and the cap cuts some users).
      for (let k = 0; k < part.users.length; k++) {
        const user = offset + (part.users[k] ?? 0)
        const from = part.start[k] ?? 0
        const to = part.start[k + 1] ?? 0
        let wanted = false
        for (let i = from; i < to && !wanted; i++) {
          const item = part.items[i] ?? 0
          wanted = item >= rows.start && item < rows.end && keeps(item, user, part.values[i] ?? 0)
        }
        if (!wanted) continue
        // Users ascending, items ascending within each: the order the merged rows sum in.
        for (let i = from; i < to; i++) {
          const item = part.items[i] ?? 0
          const value = part.values[i] ?? 0
          if (!keeps(item, user, value)) continue
          push(item, user, value)
          userDegree[user] = (userDegree[user] ?? 0) + value
        }
      }
    },
    finish() {
      shards.finish()
      const { alpha, userCount } = totals
      // As `walkCoEngagement`: v^alpha / d_u^(alpha / 2), the denominator once per user. The
      // entries came users ascending (shards in order), items ascending within each user:
      // they are the matrix by user as they stand.
      const denominators = userDegree
      for (let u = 0; u < userCount; u++) {
        const degree = denominators[u] ?? 0
        if (degree > 0) denominators[u] = Math.pow(degree, alpha / 2)
      }
      // v^0.5 (the default alpha) as a square root: V8's Math.pow(v, 0.5) equals Math.sqrt(v)
      // for every float32 v (checked over all of them, bench/recs/README.md, session 14) and
      // costs several times more; a batch raises every entry of its part.
      const root = alpha === 0.5
      const walked = new Float32Array(size)
      const userStart = new Int32Array(userCount + 1)
      const rowStart = new Int32Array(n + 1)
      for (let i = 0; i < size; i++) {
        const user = users[i] ?? 0
        const denominator = denominators[user] ?? 0
        const value = values[i] ?? 0
        walked[i] =
          denominator > 0 ? (root ? Math.sqrt(value) : Math.pow(value, alpha)) / denominator : 0
        userStart[user + 1] = (userStart[user + 1] ?? 0) + 1
        const r = items[i] ?? 0
        rowStart[r + 1] = (rowStart[r + 1] ?? 0) + 1
      }
      for (let u = 0; u < userCount; u++) {
        userStart[u + 1] = (userStart[u + 1] ?? 0) + (userStart[u] ?? 0)
      }
      // Rows by a stable counting sort: within a row, shards in order and users ascending.
      for (let r = 0; r < n; r++) rowStart[r + 1] = (rowStart[r + 1] ?? 0) + (rowStart[r] ?? 0)
      const cursor = rowStart.slice(0, n)
      const columns = new Int32Array(size)
      const rowValues = new Float32Array(size)
      for (let i = 0; i < size; i++) {
        const r = items[i] ?? 0
        const at = cursor[r] ?? 0
        columns[at] = users[i] ?? 0
        rowValues[at] = walked[i] ?? 0
        cursor[r] = at + 1
      }
      return {
        matrix: { rowCount: n, columnCount: userCount, rowStart, columns, values: rowValues },
        byUser: {
          rowCount: userCount,
          columnCount: n,
          rowStart: userStart,
          columns: items.subarray(0, size),
          values: walked,
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

// The batch's part, read from the shards' files through `read`: per shard the block lists of
// its rows, then its users' entries in at most `maxReadsPerShard` ranges (read at once).
// `heads` are the counted shards' (`readShardHeads`), read once per version.
export async function readBatchCoEngagement(
  totals: CoEngagementTotals,
  heads: (ShardHead | undefined)[],
  rows: BatchRows,
  read: ReadShardRange,
  maxReadsPerShard: number,
): Promise<BatchCoEngagement> {
  const readRange: ReadShardRange = async (shard, range) =>
    range.length === 0 ? new Uint8Array(0) : read(shard, range)
  // First every shard's listed users (a few KB each), so the builder is sized once.
  const planned: (UserReads | undefined)[] = []
  let listedEntries = 0
  for (let shard = 0; shard < totals.shardOffsets.length; shard++) {
    const head = heads[shard]
    const listed = head && (await readRange(shard, blockUsersRange(head, rows)))
    const reads = head && listed && planUserReads(head, listed, maxReadsPerShard)
    for (const u of reads?.users ?? []) listedEntries += head?.userEntryCount[u] ?? 0
    planned.push(reads)
  }
  const builder = createBatchCoEngagement(totals, rows, listedEntries)
  for (let shard = 0; shard < totals.shardOffsets.length; shard++) {
    const head = heads[shard]
    const reads = planned[shard]
    if (!head || !reads) {
      builder.add(shard, undefined)
      continue
    }
    const bytes = await Promise.all(reads.ranges.map((range) => readRange(shard, range)))
    const read = bytes.map((b) => b ?? new Uint8Array(0))
    builder.add(shard, shardUsersPart(head, reads, read, rows))
  }
  return builder.finish()
}

// The index a neighbour batch searches: the catalogue step's content side and the batch's
// part of the co-engagement matrix, with the whole matrix's degrees and longest column.
export function withBatchCoEngagement(
  contentIndex: SimilarityIndex,
  totals: CoEngagementTotals,
  part: BatchCoEngagement,
): SimilarityIndex {
  return {
    ...contentIndex,
    coEngagement: part.matrix,
    coEngagementByUser: part.byUser,
    coEngagementDegree: totals.itemDegree,
    coEngagementLongestColumn: totals.longestUserColumn,
  }
}
