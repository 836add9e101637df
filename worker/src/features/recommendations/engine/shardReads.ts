// A neighbour batch's reads of the planning shards' files (shardFile.ts), the storage behind
// `ReadShardRange` (R2's ranged get in the Worker): each counted shard's head once per
// version, then per batch the shard's users its rows reach (the blocks' lists) and the ranges
// holding those users' entries, which become the part the batch's builder takes
// (batchCoEngagement.ts).

import {
  SHARD_ENTRY_BYTES as ENTRY_BYTES,
  SHARD_HEADER_BYTES,
  alignedWords,
  userMarker,
  decodeShardHead,
  shardHeadLength,
  type ByteRange,
  type ShardHead,
  type ShardIdentity,
} from './shardFile'

// Bytes [offset, offset + length) of shard `shard`'s file, or undefined if it is gone.
export type ReadShardRange = (shard: number, range: ByteRange) => Promise<Uint8Array | undefined>

// The heads of the shards the totals counted (undefined for the others, and for a counted one
// that is gone: the batch then fails on it).
export async function readShardHeads(
  shardOffsets: Int32Array,
  read: ReadShardRange,
): Promise<(ShardHead | undefined)[]> {
  const heads: (ShardHead | undefined)[] = []
  for (let shard = 0; shard < shardOffsets.length; shard++) {
    const header =
      (shardOffsets[shard] ?? -1) < 0
        ? undefined
        : await read(shard, { offset: 0, length: SHARD_HEADER_BYTES })
    const head = header && (await read(shard, { offset: 0, length: shardHeadLength(header) }))
    heads.push(head && decodeShardHead(head))
  }
  return heads
}

// Ranged reads a neighbour batch may spend on its users' entries, shared by the shards (each
// shard also costs one read for its block lists): with its KV writes, under a Worker
// invocation's 1,000 subrequests.
const USER_READS_PER_BATCH = 200

export function userReadsPerShard(shards: number): number {
  return Math.max(1, Math.floor(USER_READS_PER_BATCH / Math.max(1, shards)))
}

export interface UserReads {
  // The shard's users listed in the batch's blocks (local numbers, ascending).
  users: Int32Array
  // Byte ranges of the file that hold their entries, ascending and disjoint.
  ranges: ByteRange[]
}

// A gap this small is read rather than spend another request on the run after it (a ranged
// get costs a round trip; 16 KB is a fraction of one).
const JOINED_GAP_BYTES = 16384

// Every listed user's entries, in at most `maxReads` ranges: runs of users that lie next to
// each other in the file (or `JOINED_GAP_BYTES` apart) are one range, and while there are too
// many, the runs with the smallest gap between them are joined (reading the gap: the users in
// it are skipped).
export function planUserReads(
  head: ShardHead,
  blockUsers: Uint8Array,
  maxReads: number,
): UserReads {
  const listed = alignedWords(blockUsers)
  const seen = new Uint8Array(head.userCount)
  const users: number[] = []
  for (const u of listed) {
    if (u < 0 || u >= head.userCount) throw new Error('shard block list names no user of it')
    if (seen[u] === 1) continue
    seen[u] = 1
    users.push(u)
  }
  users.sort((a, b) => a - b)
  const spans = users
    .map((u) => {
      // The marker entry, then the user's entries.
      const offset = head.entriesAt + (head.userEntryStart[u] ?? 0) * ENTRY_BYTES
      return { offset, end: offset + ((head.userEntryCount[u] ?? 0) + 1) * ENTRY_BYTES }
    })
    .sort((a, b) => a.offset - b.offset)
  let runs: { offset: number; end: number }[] = []
  for (const span of spans) {
    const last = runs[runs.length - 1]
    if (last && span.offset - last.end <= JOINED_GAP_BYTES) last.end = span.end
    else runs.push({ ...span })
  }
  const budget = Math.max(1, Math.floor(maxReads))
  if (runs.length > budget) {
    const gaps = runs.slice(1).map((run, i) => ({ i, size: run.offset - (runs[i]?.end ?? 0) }))
    gaps.sort((a, b) => a.size - b.size || a.i - b.i)
    const join = new Uint8Array(runs.length)
    for (const gap of gaps.slice(0, runs.length - budget)) join[gap.i] = 1
    const joined: { offset: number; end: number }[] = []
    runs.forEach((run, i) => {
      const last = joined[joined.length - 1]
      if (last && join[i - 1] === 1) last.end = run.end
      else joined.push({ ...run })
    })
    runs = joined
  }
  return {
    users: Int32Array.from(users),
    ranges: runs.map((run) => ({ offset: run.offset, length: run.end - run.offset })),
  }
}

// What a batch takes from one shard: its listed users' entries, users ascending, items
// ascending within each user.
export interface ShardUserPart extends ShardIdentity {
  users: Int32Array
  // Per user (and one past the last), where its entries start in `items` and `values`.
  start: Int32Array
  items: Int32Array
  values: Float32Array
}

// The listed users' entries out of the ranges `planUserReads` planned, as read. Throws if a
// range came back short or a user's entries are not what its block lists promised (an entry
// in the batch's blocks, items ascending): a wrong range must not become a wrong list.
export function shardUsersPart(
  head: ShardHead,
  reads: UserReads,
  bytes: Uint8Array[],
  rows: { start: number; end: number },
): ShardUserPart {
  const views = reads.ranges.map((range, k) => {
    const read = bytes[k]
    if (!read || read.byteLength !== range.length) throw new Error('shard range read cut short')
    const ints = alignedWords(read)
    return { ints, floats: new Float32Array(ints.buffer, ints.byteOffset, ints.length) }
  })
  const firstRow = Math.floor(rows.start / head.blockRows) * head.blockRows
  const endRow = Math.ceil(rows.end / head.blockRows) * head.blockRows
  const start = new Int32Array(reads.users.length + 1)
  reads.users.forEach((u, k) => (start[k + 1] = (start[k] ?? 0) + (head.userEntryCount[u] ?? 0)))
  const items = new Int32Array(start[reads.users.length] ?? 0)
  const values = new Float32Array(items.length)
  reads.users.forEach((u, k) => {
    const count = head.userEntryCount[u] ?? 0
    const offset = head.entriesAt + (head.userEntryStart[u] ?? 0) * ENTRY_BYTES
    const r = rangeHolding(reads.ranges, offset)
    const range = reads.ranges[r]
    const view = views[r]
    if (!range || !view || offset + (count + 1) * ENTRY_BYTES > range.offset + range.length) {
      throw new Error(`shard user ${u} lies outside the ranges read`)
    }
    if (view.ints[(offset - range.offset) / 4] !== userMarker(u)) {
      throw new Error(`shard user ${u}'s entries are not where the head puts them`)
    }
    const at = (offset - range.offset) / 4 + 2
    let inBlocks = false
    let previous = -1
    for (let e = 0; e < count; e++) {
      const item = view.ints[at + 2 * e] ?? 0
      if (item <= previous) throw new Error(`shard user ${u}'s entries are not in item order`)
      previous = item
      if (item >= firstRow && item < endRow) inBlocks = true
      items[(start[k] ?? 0) + e] = item
      values[(start[k] ?? 0) + e] = view.floats[at + 2 * e + 1] ?? 0
    }
    if (count > 0 && !inBlocks) throw new Error(`shard user ${u} has no entry in the batch's rows`)
  })
  return {
    userCount: head.userCount,
    entryCount: head.entryCount,
    fingerprint: head.fingerprint,
    users: reads.users,
    start,
    items,
    values,
  }
}

// The range whose offset is the largest at or before `offset` (ranges ascend).
function rangeHolding(ranges: ByteRange[], offset: number): number {
  let lo = 0
  let hi = ranges.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if ((ranges[mid]?.offset ?? 0) <= offset) lo = mid
    else hi = mid - 1
  }
  return lo
}
