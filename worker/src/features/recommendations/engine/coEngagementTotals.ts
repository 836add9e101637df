// What a neighbour batch needs to know about the whole co-engagement matrix to rebuild only
// its own part of it (batchCoEngagement.ts) with exactly the one-shot build's values. The
// per-item cap and the walk's item degrees need every shard's users of an item, so the
// assembling step computes them once, reading the shards' columns one shard at a time
// (two passes), and stores them (`recs/{version}/walk.bin`):
// - the cap's threshold for each item that has more users than `maxUsersPerItem`: the last
//   entry the cap keeps (`keepLargestPerRow`'s order: larger value first, then lower user);
// - each item's degree d_i (the walk's popularity damping of a candidate) and its number of
//   engaged users after the cap (which videos the head step fits EASE on);
// - the longest user column after the cap, which decides whether the search's posting lists
//   are complete (and so whether its scores are rescored exactly);
// - each shard's first global user number, user and entry counts and a fingerprint of its
//   columns, so a batch can check that it read the same shards the assembly counted.
// The per-user cap needs only a user's own items and stays in the shards.

import { defaultCoEngagementOptions, type CoEngagementOptions } from './collaborative'
import { shardIdentity, type ShardIdentity } from './shardFile'
import type { ShardColumns } from './shards'

export interface CoEngagementTotals {
  itemCount: number
  maxUsersPerItem: number
  alpha: number
  // Per shard: the global number of its first user, -1 for a shard that was lost (its users
  // are left out everywhere, as `mergeShardColumns` leaves them out).
  shardOffsets: Int32Array
  shardUsers: Int32Array
  shardEntries: Int32Array
  shardFingerprints: Int32Array
  userCount: number
  // Items whose users were cut, ascending, with the last (value, user) the cap keeps.
  cappedRows: Int32Array
  cappedValues: Float32Array
  cappedUsers: Int32Array
  // The walk's d_i per row, summed as `walkCoEngagement` sums it (users ascending, Float32).
  itemDegree: Float32Array
  // Kept users with a positive value per row (`headRows` counts these).
  engagedUsers: Int32Array
  longestUserColumn: number
}

export interface CoEngagementTotalsBuilder {
  // First pass: every shard's columns in range order (`undefined` for a lost shard).
  count(shard: number, columns: ShardColumns | undefined): void
  // Second pass: the same shards in the same order.
  keep(shard: number, columns: ShardColumns | undefined): void
  finish(): CoEngagementTotals
}

// A capped item's candidates are kept in a list pruned to the best `cap` whenever it reaches
// twice that, so memory is ~16 bytes x cap per capped item, not its whole audience.
interface CappedList {
  values: Float32Array
  users: Int32Array
  size: number
}

export function createCoEngagementTotals(
  itemCount: number,
  shardCount: number,
  options: Partial<Pick<CoEngagementOptions, 'maxUsersPerItem' | 'alpha'>> = {},
): CoEngagementTotalsBuilder {
  const { maxUsersPerItem: cap, alpha } = { ...defaultCoEngagementOptions, ...options }
  const counts = new Int32Array(itemCount)
  const shardOffsets = new Int32Array(shardCount).fill(-1)
  const shardUsers = new Int32Array(shardCount)
  const shardEntries = new Int32Array(shardCount)
  const shardFingerprints = new Int32Array(shardCount)
  const itemDegree = new Float32Array(itemCount)
  const engagedUsers = new Int32Array(itemCount)
  let userCount = 0
  let userLength: Int32Array | undefined
  const capped = new Map<number, CappedList>()
  return {
    count(shard, columns) {
      if (!columns) return
      shardOffsets[shard] = userCount
      const identity = shardIdentity(columns)
      shardUsers[shard] = identity.userCount
      shardEntries[shard] = identity.entryCount
      shardFingerprints[shard] = identity.fingerprint
      userCount += columns.userCount
      for (const r of columns.items) counts[r] = (counts[r] ?? 0) + 1
    },
    keep(shard, columns) {
      if (!columns) return
      checkShard(
        { shardOffsets, shardUsers, shardEntries, shardFingerprints },
        shard,
        shardIdentity(columns),
      )
      userLength ??= new Int32Array(userCount)
      const offset = shardOffsets[shard] ?? 0
      const { items, users, values } = columns
      for (let i = 0; i < items.length; i++) {
        const r = items[i] ?? 0
        const user = offset + (users[i] ?? 0)
        const v = values[i] ?? 0
        if ((counts[r] ?? 0) <= cap) {
          itemDegree[r] = (itemDegree[r] ?? 0) + v
          if (v > 0) engagedUsers[r] = (engagedUsers[r] ?? 0) + 1
          userLength[user] = (userLength[user] ?? 0) + 1
          continue
        }
        let list = capped.get(r)
        if (!list) {
          list = { values: new Float32Array(2 * cap), users: new Int32Array(2 * cap), size: 0 }
          capped.set(r, list)
        }
        if (list.size === 2 * cap) pruneToBest(list, cap)
        list.values[list.size] = v
        list.users[list.size] = user
        list.size++
      }
    },
    finish() {
      userLength ??= new Int32Array(userCount)
      const rows = [...capped.keys()].sort((a, b) => a - b)
      const cappedValues = new Float32Array(rows.length)
      const cappedUsers = new Int32Array(rows.length)
      rows.forEach((r, k) => {
        const list = capped.get(r) as CappedList
        pruneToBest(list, cap)
        // The last of the kept, in the cap's order, is the threshold.
        cappedValues[k] = list.values[cap - 1] ?? 0
        cappedUsers[k] = list.users[cap - 1] ?? 0
        // d_i over the kept users in ascending order, as the merged row holds them.
        const byUser = Array.from(list.users.subarray(0, cap), (u, i) => i).sort(
          (a, b) => (list.users[a] ?? 0) - (list.users[b] ?? 0),
        )
        for (const i of byUser) {
          itemDegree[r] = (itemDegree[r] ?? 0) + (list.values[i] ?? 0)
          if ((list.values[i] ?? 0) > 0) engagedUsers[r] = (engagedUsers[r] ?? 0) + 1
          const user = list.users[i] ?? 0
          if (userLength) userLength[user] = (userLength[user] ?? 0) + 1
        }
      })
      let longestUserColumn = 0
      for (const length of userLength) longestUserColumn = Math.max(longestUserColumn, length)
      return {
        itemCount,
        maxUsersPerItem: cap,
        alpha,
        shardOffsets,
        shardUsers,
        shardEntries,
        shardFingerprints,
        userCount,
        cappedRows: Int32Array.from(rows),
        cappedValues,
        cappedUsers,
        itemDegree,
        engagedUsers,
        longestUserColumn,
      }
    },
  }
}

// Keeps the best `cap` in place, best first: larger value, then lower user (users are
// distinct, so the order is total and the same as the merged row's cut).
function pruneToBest(list: CappedList, cap: number): void {
  const order = Array.from(list.values.subarray(0, list.size), (_, i) => i).sort(
    (a, b) =>
      (list.values[b] ?? 0) - (list.values[a] ?? 0) || (list.users[a] ?? 0) - (list.users[b] ?? 0),
  )
  const kept = order.slice(0, cap)
  const values = kept.map((i) => list.values[i] ?? 0)
  const users = kept.map((i) => list.users[i] ?? 0)
  list.values.set(values)
  list.users.set(users)
  list.size = kept.length
}

// Reads the planning shards against the totals, in range order. `next` answers the user
// offset of a shard to read, or null for one the totals did not count (no users); it throws
// on a shard out of order, missing or not the one counted (`shardIdentity` of its columns, or
// the identity its file's head states). `finish` throws unless every shard came.
export interface ShardSequence {
  next(shard: number, identity: ShardIdentity | undefined): number | null
  finish(): void
}

export function shardSequence(
  totals: Pick<
    CoEngagementTotals,
    'shardOffsets' | 'shardUsers' | 'shardEntries' | 'shardFingerprints'
  >,
): ShardSequence {
  let nextShard = 0
  return {
    next(shard, identity) {
      if (shard !== nextShard) throw new Error(`shard ${shard} read out of order`)
      nextShard++
      const offset = totals.shardOffsets[shard] ?? -1
      if (offset < 0) return null
      if (!identity) throw new Error(`shard ${shard} counted by the totals is missing`)
      checkShard(totals, shard, identity)
      return offset
    },
    finish() {
      if (nextShard !== totals.shardOffsets.length) {
        throw new Error(`read ${nextShard} of ${totals.shardOffsets.length} shards`)
      }
    },
  }
}

// A shard's columns must be the ones the totals counted: a batch that read another
// version's or a partial object would otherwise write wrong lists without a sign.
function checkShard(
  totals: Pick<
    CoEngagementTotals,
    'shardOffsets' | 'shardUsers' | 'shardEntries' | 'shardFingerprints'
  >,
  shard: number,
  identity: ShardIdentity,
): void {
  if (
    (totals.shardOffsets[shard] ?? -1) < 0 ||
    totals.shardUsers[shard] !== identity.userCount ||
    totals.shardEntries[shard] !== identity.entryCount ||
    totals.shardFingerprints[shard] !== identity.fingerprint
  ) {
    throw new Error(`shard ${shard}'s columns are not the ones the co-engagement totals counted`)
  }
}

// Whether the per-item cap keeps the entry (row, global user, value). Most items are not
// capped: a byte per row answers those without a lookup.
export function capKeeps(
  totals: CoEngagementTotals,
): (row: number, user: number, value: number) => boolean {
  const capped = new Uint8Array(totals.itemCount)
  const at = new Map<number, number>()
  totals.cappedRows.forEach((r, k) => {
    capped[r] = 1
    at.set(r, k)
  })
  return (row, user, value) => {
    if (capped[row] !== 1) return true
    const k = at.get(row) ?? 0
    const threshold = totals.cappedValues[k] ?? 0
    return value > threshold || (value === threshold && user <= (totals.cappedUsers[k] ?? 0))
  }
}

// Binary form for R2: a header of Int32 counts and numbers, then the arrays, 4-byte aligned.
const MAGIC = 0x776c6b31 // 'wlk1'

export function encodeCoEngagementTotals(totals: CoEngagementTotals): Uint8Array {
  const shards = totals.shardOffsets.length
  const capped = totals.cappedRows.length
  const header = new Int32Array([
    MAGIC,
    totals.itemCount,
    totals.maxUsersPerItem,
    shards,
    totals.userCount,
    capped,
    totals.longestUserColumn,
  ])
  const parts: ArrayBufferView[] = [
    header,
    new Float64Array([totals.alpha]),
    totals.shardOffsets,
    totals.shardUsers,
    totals.shardEntries,
    totals.shardFingerprints,
    totals.cappedRows,
    totals.cappedValues,
    totals.cappedUsers,
    totals.itemDegree,
    totals.engagedUsers,
  ]
  // The Float64 alpha sits at byte 32 (after 7 Int32 and 4 bytes of padding).
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0) + 4)
  let at = 0
  parts.forEach((part, i) => {
    if (i === 1) at += 4
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at)
    at += part.byteLength
  })
  return out
}

export function decodeCoEngagementTotals(input: Uint8Array): CoEngagementTotals {
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice()
  const header = new Int32Array(bytes.buffer, bytes.byteOffset, 7)
  const [magic, itemCount = 0, maxUsersPerItem = 0, shards = 0, userCount = 0, capped = 0] = header
  if (magic !== MAGIC) throw new Error('not a co-engagement totals object')
  let at = bytes.byteOffset + 32
  const alpha = new Float64Array(bytes.buffer, at, 1)[0] ?? 0
  at += 8
  const int32 = (n: number): Int32Array => {
    const out = new Int32Array(bytes.buffer, at, n)
    at += n * 4
    return out
  }
  const float32 = (n: number): Float32Array => {
    const out = new Float32Array(bytes.buffer, at, n)
    at += n * 4
    return out
  }
  return {
    itemCount,
    maxUsersPerItem,
    alpha,
    shardOffsets: int32(shards),
    shardUsers: int32(shards),
    shardEntries: int32(shards),
    shardFingerprints: int32(shards),
    userCount,
    cappedRows: int32(capped),
    cappedValues: float32(capped),
    cappedUsers: int32(capped),
    itemDegree: float32(itemCount),
    engagedUsers: int32(itemCount),
    longestUserColumn: header[6] ?? 0,
  }
}
