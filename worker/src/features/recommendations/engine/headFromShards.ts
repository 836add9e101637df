// The head step without the merged matrix: EASE needs only which users engaged with each
// head video, so it reads the shards one at a time and keeps the (user, head video) pairs
// the per-item cap keeps, at most `items` x `maxUsersPerItem` of them (~8 MB at 1,000 x
// 1,000). The head is chosen from the totals' counts of engaged users, as `headRows` chooses
// it from the matrix, so the lists are the merged matrix's (`buildHeadNeighbours`).

import { capKeeps, shardSequence, type CoEngagementTotals } from './coEngagementTotals'
import { fitHeadNeighbours, selectHead, type HeadModelOptions } from './headModel'
import { shardIdentity } from './shardFile'
import type { ShardColumns } from './shards'
import type { Neighbour } from './sparse'

export interface HeadFromShards {
  // Every shard the totals counted, in range order (`undefined` for a lost one).
  add(shard: number, columns: ShardColumns | undefined): void
  finish(k: number): Map<number, Neighbour[]>
}

export function createHeadFromShards(
  totals: CoEngagementTotals,
  options: Partial<HeadModelOptions> = {},
): HeadFromShards {
  const head = selectHead(totals.engagedUsers, options)
  const columnOf = new Map(head.map((row, c) => [row, c]))
  const inHead = new Uint8Array(totals.itemCount)
  for (const row of head) inHead[row] = 1
  const keeps = capKeeps(totals)
  const users: number[] = []
  const columns: number[] = []
  const shards = shardSequence(totals)
  return {
    add(shard, shardColumns) {
      const offset = shards.next(shard, shardColumns && shardIdentity(shardColumns))
      if (offset === null || !shardColumns) return
      const { items, values } = shardColumns
      for (let i = 0; i < items.length; i++) {
        const row = items[i] ?? 0
        if (inHead[row] !== 1) continue
        const user = offset + (shardColumns.users[i] ?? 0)
        const value = values[i] ?? 0
        if (value > 0 && keeps(row, user, value)) {
          users.push(user)
          columns.push(columnOf.get(row) ?? 0)
        }
      }
    },
    finish(k) {
      shards.finish()
      return fitHeadNeighbours(head, totals.userCount, users, columns, k, options)
    },
  }
}
