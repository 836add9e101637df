// Co-engagement: two videos are close when the same people engaged with both. Items are
// rows over users; the cosine of those rows (with shrinkage at search time) is the signal.

import { buildSparseMatrix, keepLargestPerRow, normaliseRows, transpose } from './sparse'
import type { SparseMatrix } from './sparse'
import { DAY_MS, type Interaction } from './types'

export const interactionWeights = { view: 1.0, like: 1.5, comment: 2.0 } as const

// Below this share of a video the view was a glance, not interest (seed 004).
export const WATCH_INTEREST_THRESHOLD = 0.3

// Strength of one interaction. A view with a known watch fraction follows seed 004's
// `watch x 0.6 + 0.4`, so a full watch weighs as a plain view and a glance weighs little.
export function interactionStrength(interaction: Interaction): number {
  if (interaction.weight !== undefined) return Math.max(0, interaction.weight)
  switch (interaction.kind) {
    case 'skip':
      return 0
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
}

export const defaultCoEngagementOptions: Omit<CoEngagementOptions, 'now'> = {
  halfLifeDays: 30,
  maxItemsPerUser: 200,
  maxUsersPerItem: 1000,
}

export interface CoEngagementModel {
  userIds: string[]
  // items x users, log-damped decayed strengths, L2-normalised rows.
  matrix: SparseMatrix
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
  const itemIndex = new Map<string, number>()
  itemIds.forEach((id, i) => itemIndex.set(id, i))
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
      // Repeated views add up but with diminishing returns.
      const byUser = buildSparseMatrix(
        userIds.length,
        itemIds.length,
        users.subarray(0, size),
        items.subarray(0, size),
        values.subarray(0, size),
      )
      for (let i = 0; i < byUser.values.length; i++) {
        byUser.values[i] = Math.log1p(byUser.values[i] ?? 0)
      }
      const cappedUsers = keepLargestPerRow(byUser, opts.maxItemsPerUser)
      const byItem = keepLargestPerRow(transpose(cappedUsers), opts.maxUsersPerItem)
      return { userIds, matrix: normaliseRows(byItem) }
    },
  }
}
