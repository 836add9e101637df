// How a planning shard's columns are stored (`recs/{version}/shards/{k}.bin`), so that a
// neighbour batch reads only what its rows reach instead of the whole shard: every batch used
// to stream every shard and scan every entry for its users, work that grew as batches x
// interactions. The file holds the columns by user:
// - a head: counts, the columns' fingerprint, and two tables: per block of `blockRows` rows
//   (the neighbour batch size) where its user list starts, and per user where its entries
//   start and how many there are;
// - per block, the shard's users with an entry in its rows (local numbers, ascending);
// - the users' entries (item, value), items ascending, each user's behind a marker entry that
//   names it (so a range read from the wrong place is refused, never used); users are laid
//   out by their mean row, which groups tastes, so a batch's audience falls in fewer runs of
//   the file.
// A batch reads the heads once per version, then per shard the block lists of its rows (one
// range) and its users' entries (a few coalesced ranges, `planUserReads`). The assembling
// step and the head step read whole files (`decodeShardColumns`).

import type { ShardColumns } from './shards'

const MAGIC = 0x73686432 // 'shd2'
export const SHARD_HEADER_BYTES = 32
export const SHARD_ENTRY_BYTES = 8

export interface ByteRange {
  offset: number
  length: number
}

// What the co-engagement totals check a shard against (coEngagementTotals.ts).
export interface ShardIdentity {
  userCount: number
  entryCount: number
  fingerprint: number
}

export interface ShardHead extends ShardIdentity {
  blockRows: number
  // Per block (and one past the last), the first of its users in the block lists.
  blockUserStart: Int32Array
  // Per local user: its marker entry (its entries follow) and how many entries it has.
  userEntryStart: Int32Array
  userEntryCount: Int32Array
  // Byte offsets of the block lists and of the entries.
  blockUsersAt: number
  entriesAt: number
}

export function shardIdentity(columns: ShardColumns): ShardIdentity {
  return {
    userCount: columns.userCount,
    entryCount: columns.items.length,
    fingerprint: shardFingerprint(columns),
  }
}

// FNV-1a over the item-major columns' items, users and values' bits.
function shardFingerprint(columns: ShardColumns): number {
  const { items, users, values } = columns
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length)
  let h = 0x811c9dc5
  for (let i = 0; i < items.length; i++) {
    h = Math.imul(h ^ (items[i] ?? 0), 0x01000193)
    h = Math.imul(h ^ (users[i] ?? 0), 0x01000193)
    h = Math.imul(h ^ (bits[i] ?? 0), 0x01000193)
  }
  return h | 0
}

export function encodeShardColumns(columns: ShardColumns, blockRows: number): Uint8Array {
  const rowsPerBlock = Math.max(1, Math.floor(blockRows))
  const { userCount, items, users, values } = columns
  const n = items.length
  // By user: items ascend within each user, as they do in the item-major columns.
  const localStart = new Int32Array(userCount + 1)
  for (let i = 0; i < n; i++) {
    const u = (users[i] ?? 0) + 1
    localStart[u] = (localStart[u] ?? 0) + 1
  }
  prefixSums(localStart)
  const cursor = localStart.slice(0, userCount)
  const byUserItems = new Int32Array(n)
  const byUserValues = new Float32Array(n)
  let lastItem = -1
  for (let i = 0; i < n; i++) {
    const u = users[i] ?? 0
    const at = cursor[u] ?? 0
    byUserItems[at] = items[i] ?? 0
    byUserValues[at] = values[i] ?? 0
    cursor[u] = at + 1
    lastItem = Math.max(lastItem, items[i] ?? 0)
  }
  const meanRow = new Float64Array(userCount)
  for (let u = 0; u < userCount; u++) {
    let sum = 0
    for (let i = localStart[u] ?? 0; i < (localStart[u + 1] ?? 0); i++) sum += byUserItems[i] ?? 0
    const count = (localStart[u + 1] ?? 0) - (localStart[u] ?? 0)
    meanRow[u] = count > 0 ? sum / count : 0
  }
  const layout = Array.from({ length: userCount }, (_, u) => u).sort(
    (a, b) => (meanRow[a] ?? 0) - (meanRow[b] ?? 0) || a - b,
  )
  // Block lists, users ascending: a block counts a user once, however many of its rows.
  const blockCount = Math.ceil((lastItem + 1) / rowsPerBlock)
  const blockUserStart = new Int32Array(blockCount + 1)
  const eachBlockUser = (visit: (block: number, user: number) => void): void => {
    const lastUser = new Int32Array(blockCount).fill(-1)
    for (let u = 0; u < userCount; u++) {
      for (let i = localStart[u] ?? 0; i < (localStart[u + 1] ?? 0); i++) {
        const block = Math.floor((byUserItems[i] ?? 0) / rowsPerBlock)
        if (lastUser[block] === u) continue
        lastUser[block] = u
        visit(block, u)
      }
    }
  }
  eachBlockUser((block) => (blockUserStart[block + 1] = (blockUserStart[block + 1] ?? 0) + 1))
  prefixSums(blockUserStart)
  const blockUsersLength = blockUserStart[blockCount] ?? 0
  const blockUsersAt = SHARD_HEADER_BYTES + (blockCount + 1) * 4 + userCount * 8
  const entriesAt = blockUsersAt + blockUsersLength * 4
  const out = new Uint8Array(entriesAt + (n + userCount) * SHARD_ENTRY_BYTES)
  const ints = new Int32Array(out.buffer)
  const floats = new Float32Array(out.buffer)
  ints.set([
    MAGIC,
    userCount,
    n,
    rowsPerBlock,
    blockCount,
    shardFingerprint(columns),
    blockUsersLength,
  ])
  ints.set(blockUserStart, SHARD_HEADER_BYTES / 4)
  const startsAt = SHARD_HEADER_BYTES / 4 + blockCount + 1
  const blockFill = blockUserStart.slice(0, blockCount)
  eachBlockUser((block, u) => {
    const at = blockFill[block] ?? 0
    ints[blockUsersAt / 4 + at] = u
    blockFill[block] = at + 1
  })
  let entry = 0
  for (const u of layout) {
    const from = localStart[u] ?? 0
    const count = (localStart[u + 1] ?? 0) - from
    ints[startsAt + u] = entry
    ints[startsAt + userCount + u] = count
    ints[entriesAt / 4 + 2 * entry] = userMarker(u)
    for (let i = 0; i < count; i++) {
      ints[entriesAt / 4 + 2 * (entry + 1 + i)] = byUserItems[from + i] ?? 0
      floats[entriesAt / 4 + 2 * (entry + 1 + i) + 1] = byUserValues[from + i] ?? 0
    }
    entry += count + 1
  }
  return out
}

// A user's marker entry: negative, which no item is.
export function userMarker(user: number): number {
  return -1 - user
}

// An aligned view of stored bytes (a fresh R2 read is aligned; a copy otherwise).
export function alignedWords(bytes: Uint8Array): Int32Array {
  const source = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice()
  return new Int32Array(source.buffer, source.byteOffset, Math.floor(source.byteLength / 4))
}

// The length of the head, from its first `SHARD_HEADER_BYTES`.
export function shardHeadLength(header: Uint8Array): number {
  const w = alignedWords(header.subarray(0, SHARD_HEADER_BYTES))
  if (w.length < SHARD_HEADER_BYTES / 4 || w[0] !== MAGIC) {
    throw new Error('not a shard column file')
  }
  return SHARD_HEADER_BYTES + ((w[4] ?? 0) + 1) * 4 + (w[1] ?? 0) * 8
}

export function decodeShardHead(bytes: Uint8Array): ShardHead {
  const length = shardHeadLength(bytes)
  if (bytes.byteLength < length) throw new Error('shard head cut short')
  const w = alignedWords(bytes.subarray(0, length))
  const [, userCount = 0, entryCount = 0, blockRows = 1, blockCount = 0, fingerprint = 0] = w
  const blockUsersLength = w[6] ?? 0
  const at = SHARD_HEADER_BYTES / 4
  return {
    userCount,
    entryCount,
    fingerprint,
    blockRows,
    blockUserStart: w.subarray(at, at + blockCount + 1),
    userEntryStart: w.subarray(at + blockCount + 1, at + blockCount + 1 + userCount),
    userEntryCount: w.subarray(
      at + blockCount + 1 + userCount,
      at + blockCount + 1 + 2 * userCount,
    ),
    blockUsersAt: length,
    entriesAt: length + blockUsersLength * 4,
  }
}

// The whole file back as item-major columns (items ascend, users ascend within an item), for
// the steps that read every entry. Throws unless they are the columns the shard wrote.
export function decodeShardColumns(bytes: Uint8Array): ShardColumns {
  const head = decodeShardHead(bytes)
  const n = head.entryCount
  if (bytes.byteLength !== head.entriesAt + (n + head.userCount) * SHARD_ENTRY_BYTES) {
    throw new Error('shard column file cut short')
  }
  const w = alignedWords(bytes)
  const f = new Float32Array(w.buffer, w.byteOffset, w.length)
  const base = head.entriesAt / 4
  let lastItem = -1
  for (let e = 0; e < n + head.userCount; e++) lastItem = Math.max(lastItem, w[base + 2 * e] ?? 0)
  const rowStart = new Int32Array(lastItem + 2)
  for (let e = 0; e < n + head.userCount; e++) {
    const item = w[base + 2 * e] ?? 0
    if (item >= 0) rowStart[item + 1] = (rowStart[item + 1] ?? 0) + 1
  }
  prefixSums(rowStart)
  const items = new Int32Array(n)
  const users = new Int32Array(n)
  const values = new Float32Array(n)
  for (let u = 0; u < head.userCount; u++) {
    const first = (head.userEntryStart[u] ?? 0) + 1
    if (w[base + 2 * first - 2] !== userMarker(u)) throw new Error('shard column file damaged')
    for (let e = first; e < first + (head.userEntryCount[u] ?? 0); e++) {
      const item = w[base + 2 * e] ?? 0
      const at = rowStart[item] ?? 0
      items[at] = item
      users[at] = u
      values[at] = f[base + 2 * e + 1] ?? 0
      rowStart[item] = at + 1
    }
  }
  const columns = { userCount: head.userCount, items, users, values }
  if (shardFingerprint(columns) !== head.fingerprint) {
    throw new Error("shard columns do not match the file's fingerprint")
  }
  return columns
}

function prefixSums(counts: Int32Array): void {
  for (let i = 1; i < counts.length; i++) counts[i] = (counts[i] ?? 0) + (counts[i - 1] ?? 0)
}

// The block lists a batch of rows needs: one range, the blocks its rows overlap.
export function blockUsersRange(head: ShardHead, rows: { start: number; end: number }): ByteRange {
  const blocks = head.blockUserStart.length - 1
  const first = Math.min(blocks, Math.floor(rows.start / head.blockRows))
  const last = Math.max(first, Math.min(blocks, Math.ceil(rows.end / head.blockRows)))
  const from = head.blockUserStart[first] ?? 0
  const to = head.blockUserStart[last] ?? 0
  return { offset: head.blockUsersAt + from * 4, length: (to - from) * 4 }
}
