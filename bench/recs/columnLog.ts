// The synthetic interaction log as columns for the rebuild bench (rebuildScale.ts): the
// stand-in for the D1 tables, which the Worker never holds in memory as objects either.
import type { Interaction, InteractionKind } from '../../worker/src/features/recommendations/engine'

const kinds: InteractionKind[] = ['view', 'like', 'comment', 'skip']
export interface Columns {
  userIds: string[]
  itemIds: string[]
  user: Int32Array
  item: Int32Array
  kind: Uint8Array
  watch: Float32Array
  at: Float64Array
}
export interface Log extends Columns {
  // The same rows grouped by user, and where each user's rows start: D1 reads a user's
  // history from the (user_id, video_id) primary key, so it is contiguous there too.
  byUser: Columns
  userStart: Int32Array
}

export function toLog(interactions: Interaction[], itemIds: string[]): Log {
  const n = interactions.length
  const userIndex = new Map<string, number>()
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]))
  const log: Columns = {
    userIds: [],
    itemIds,
    user: new Int32Array(n),
    item: new Int32Array(n),
    kind: new Uint8Array(n),
    watch: new Float32Array(n),
    at: new Float64Array(n),
  }
  interactions.forEach((interaction, i) => {
    let u = userIndex.get(interaction.userId)
    if (u === undefined) {
      u = log.userIds.length
      userIndex.set(interaction.userId, u)
      log.userIds.push(interaction.userId)
    }
    log.user[i] = u
    log.item[i] = itemIndex.get(interaction.itemId) ?? 0
    log.kind[i] = kinds.indexOf(interaction.kind)
    log.watch[i] = interaction.watchFraction ?? Number.NaN
    log.at[i] = interaction.at
  })
  const start = new Int32Array(log.userIds.length + 1)
  for (let i = 0; i < n; i++) {
    const u = (log.user[i] ?? 0) + 1
    start[u] = (start[u] ?? 0) + 1
  }
  for (let u = 0; u < log.userIds.length; u++) start[u + 1] = (start[u + 1] ?? 0) + (start[u] ?? 0)
  const cursor = start.slice()
  const grouped: Columns = {
    ...log,
    user: new Int32Array(n),
    item: new Int32Array(n),
    kind: new Uint8Array(n),
    watch: new Float32Array(n),
    at: new Float64Array(n),
  }
  for (let i = 0; i < n; i++) {
    const u = log.user[i] ?? 0
    const at = cursor[u] ?? 0
    grouped.user[at] = u
    grouped.item[at] = log.item[i] ?? 0
    grouped.kind[at] = log.kind[i] ?? 0
    grouped.watch[at] = log.watch[i] ?? 0
    grouped.at[at] = log.at[i] ?? 0
    cursor[u] = at + 1
  }
  return { ...log, byUser: grouped, userStart: start }
}

export function row(log: Columns, i: number): Interaction {
  const watch = log.watch[i] ?? Number.NaN
  return {
    userId: log.userIds[log.user[i] ?? 0] ?? '',
    itemId: log.itemIds[log.item[i] ?? 0] ?? '',
    kind: kinds[log.kind[i] ?? 0] ?? 'view',
    ...(Number.isNaN(watch) ? {} : { watchFraction: watch }),
    at: log.at[i] ?? 0,
  }
}
