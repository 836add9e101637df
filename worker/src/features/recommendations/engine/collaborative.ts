// Co-engagement: two videos are close when the same people engaged with both. Items are
// rows over users, weighted for RP3beta (Paudel et al. 2017): a random walk video -> viewer ->
// video whose steps are damped by how much the viewer engages (heavy users say less about any
// one pair) and whose target is damped by its popularity at search time. On the real logs in
// bench/recs/README.md it ranked better than cosine item-kNN and close to EASE.

import { rowsOfIds, type ItemRows } from './itemColumns'
import { buildSparseMatrix, keepLargestPerRow, transpose } from './sparse'
import type { SparseMatrix } from './sparse'
import { DAY_MS, type Interaction } from './types'

export const interactionWeights = { view: 1.0, like: 1.5, comment: 2.0 } as const

// Below this share of a video the view was a glance, not interest (seed 004).
export const WATCH_INTEREST_THRESHOLD = 0.3

// Below this share the viewer left in the first seconds: a skip, which counts against the
// clip's neighbours in their ranking.
export const SKIP_WATCH_FRACTION = 0.1

export function isSkip(interaction: Interaction): boolean {
  if (interaction.kind === 'skip') return true
  return (
    interaction.kind === 'view' &&
    interaction.weight === undefined &&
    interaction.watchFraction !== undefined &&
    interaction.watchFraction < SKIP_WATCH_FRACTION
  )
}

// Strength of one interaction. A view with a known watch fraction follows seed 004's
// `watch x 0.6 + 0.4`, so a full watch weighs as a plain view and a glance weighs little.
export function interactionStrength(interaction: Interaction): number {
  // A skip's weight is how strongly it counts against (see rankingSeeds), never interest.
  if (interaction.kind === 'skip') return 0
  if (interaction.weight !== undefined) return Math.max(0, interaction.weight)
  switch (interaction.kind) {
    case 'like':
      return interactionWeights.like
    case 'comment':
      return interactionWeights.comment
    case 'view': {
      const watch = interaction.watchFraction
      if (watch === undefined) return interactionWeights.view
      if (watch < WATCH_INTEREST_THRESHOLD) return 0.2 * interactionWeights.view
      return interactionWeights.view * (0.4 + 0.6 * Math.min(1, watch))
    }
  }
}

export function isPositive(interaction: Interaction): boolean {
  if (interaction.kind === 'like' || interaction.kind === 'comment') return true
  if (interaction.kind === 'skip') return false
  if (interaction.weight !== undefined) return interaction.weight > 0
  return (interaction.watchFraction ?? 1) >= WATCH_INTEREST_THRESHOLD
}

export interface CoEngagementOptions {
  now: number
  // Older interactions fade; co-engagement from last year says less about today's catalogue.
  halfLifeDays: number
  // Heavy users (and bots) would dominate cost and similarity; keep their strongest items.
  maxItemsPerUser: number
  maxUsersPerItem: number
  // RP3beta's exponent on the walk's transition probabilities (1 = plain probabilities).
  alpha: number
}

export const defaultCoEngagementOptions: Omit<CoEngagementOptions, 'now'> = {
  // No decay inside the rebuild's window: tastes last longer than trends, and on MovieLens
  // (22 years of ratings) a 30- or 365-day half-life cut NDCG@10 from 0.129 to 0.08-0.09.
  halfLifeDays: Number.POSITIVE_INFINITY,
  maxItemsPerUser: 1000,
  maxUsersPerItem: 1000,
  alpha: 0.5,
}

export interface CoEngagementModel {
  userIds: string[]
  // items x users: v^alpha / d_u^(alpha / 2), with v the log-damped decayed strength and d_u
  // the user's total, so the dot product of two rows is the walk item -> user -> item
  // without the end points' degrees.
  matrix: SparseMatrix
  // Each item's total strength over its users (d_i); rows follow the matrix.
  itemDegree: Float32Array
}

export function buildCoEngagementModel(
  itemIds: string[],
  interactions: Interaction[],
  options: Partial<CoEngagementOptions> & { now: number },
): CoEngagementModel {
  const builder = createCoEngagementBuilder(itemIds, options)
  builder.add(interactions)
  return builder.finish()
}

export interface CoEngagementBuilder {
  add(interactions: Interaction[]): void
  finish(): CoEngagementModel
}

// Accepts interactions page by page (e.g. 50k D1 rows at a time) and keeps only typed
// arrays, about 12 bytes per interaction, so the index build never holds the log as objects.
export function createCoEngagementBuilder(
  itemIds: string[],
  options: Partial<CoEngagementOptions> & { now: number },
): CoEngagementBuilder {
  const opts = { ...defaultCoEngagementOptions, ...options }
  const collector = createInteractionCollector(rowsOfIds(itemIds), options)
  return {
    add: (interactions) => collector.add(interactions),
    finish() {
      const { userIds, byUser } = collector.finish()
      const byItem = keepLargestPerRow(transpose(byUser), opts.maxUsersPerItem)
      return { userIds, ...walkCoEngagement(byItem, opts.alpha) }
    },
  }
}

// The per-user half of the co-engagement build: users x items, log-damped and capped at
// `maxItemsPerUser`. It needs only the users' own interactions, so the rebuild computes it
// in shards of users (shards.ts) and merges the columns before the per-item cap.
export interface UserMatrix {
  // Sorted, so columns are numbered the same whether users are read at once or in shards
  // of id ranges (the numbering decides float sums and ties, so it must match exactly).
  userIds: string[]
  // Rows follow userIds.
  byUser: SparseMatrix
}

export interface InteractionCollector {
  add(interactions: Interaction[]): void
  finish(): UserMatrix
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function createInteractionCollector(
  itemIndex: ItemRows,
  options: Partial<CoEngagementOptions> & { now: number },
): InteractionCollector {
  const opts = { ...defaultCoEngagementOptions, ...options }
  const userIndex = new Map<string, number>()
  const userIds: string[] = []
  let users: Int32Array = new Int32Array(1024)
  let items: Int32Array = new Int32Array(1024)
  let values: Float32Array = new Float32Array(1024)
  let size = 0
  const grow = (): void => {
    const next = (a: Int32Array): Int32Array => {
      const b = new Int32Array(a.length * 2)
      b.set(a)
      return b
    }
    users = next(users)
    items = next(items)
    const v = new Float32Array(values.length * 2)
    v.set(values)
    values = v
  }
  return {
    add(interactions) {
      for (const interaction of interactions) {
        const item = itemIndex.get(interaction.itemId)
        if (item === undefined) continue
        const strength = interactionStrength(interaction)
        if (strength <= 0) continue
        let user = userIndex.get(interaction.userId)
        if (user === undefined) {
          user = userIds.length
          userIndex.set(interaction.userId, user)
          userIds.push(interaction.userId)
        }
        if (size === users.length) grow()
        const age = Math.max(0, opts.now - interaction.at) / DAY_MS
        users[size] = user
        items[size] = item
        values[size] = strength * Math.pow(0.5, age / opts.halfLifeDays)
        size++
      }
    },
    finish() {
      const order = userIds
        .map((_, u) => u)
        .sort((a, b) => compareIds(userIds[a] ?? '', userIds[b] ?? ''))
      const rank = new Int32Array(userIds.length)
      order.forEach((u, r) => (rank[u] = r))
      for (let i = 0; i < size; i++) users[i] = rank[users[i] ?? 0] ?? 0
      // Repeated views add up but with diminishing returns.
      const byUser = buildSparseMatrix(
        userIds.length,
        itemIndex.size,
        users.subarray(0, size),
        items.subarray(0, size),
        values.subarray(0, size),
      )
      for (let i = 0; i < byUser.values.length; i++) {
        byUser.values[i] = Math.log1p(byUser.values[i] ?? 0)
      }
      return {
        userIds: order.map((u) => userIds[u] ?? ''),
        byUser: keepLargestPerRow(byUser, opts.maxItemsPerUser),
      }
    },
  }
}

// The walk's weights from the capped items x users matrix (columns are users).
export function walkCoEngagement(
  byItem: SparseMatrix,
  alpha: number,
): { matrix: SparseMatrix; itemDegree: Float32Array } {
  const userDegree = new Float64Array(byItem.columnCount)
  const itemDegree = new Float32Array(byItem.rowCount)
  for (let r = 0; r < byItem.rowCount; r++) {
    for (let i = byItem.rowStart[r] ?? 0; i < (byItem.rowStart[r + 1] ?? 0); i++) {
      const v = byItem.values[i] ?? 0
      const c = byItem.columns[i] ?? 0
      userDegree[c] = (userDegree[c] ?? 0) + v
      itemDegree[r] = (itemDegree[r] ?? 0) + v
    }
  }
  const values = new Float32Array(byItem.values.length)
  for (let i = 0; i < values.length; i++) {
    const degree = userDegree[byItem.columns[i] ?? 0] ?? 0
    values[i] =
      degree > 0 ? Math.pow(byItem.values[i] ?? 0, alpha) / Math.pow(degree, alpha / 2) : 0
  }
  return { matrix: { ...byItem, values }, itemDegree }
}
