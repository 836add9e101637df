// What the rebuild leaves behind for serving: KV lists (small, read per request) and the
// versioned artifacts in R2 (large, read by queue batches). One place for every key name.

import { z } from 'zod'
import {
  defaultNeighbourOptions,
  defaultRankingOptions,
  type RankingWeights,
  type ScoredItem,
} from './engine'

export const kvKeys = {
  similar: (videoId: string) => `similar:${videoId}`,
  feed: (userId: string) => `feed:${userId}`,
  trending: 'trending',
  category: (categoryId: string) => `category:${categoryId}`,
  parentCategory: (parentId: string) => `parent:${parentId}`,
  lastRebuild: 'recs:last-rebuild',
  lastPreferences: 'recs:last-preferences',
  config: 'recs:config',
  // A whole anonymous page (trending, latest, category), shared by the isolates.
  anonymousPage: (key: string) => `anon:${key}`,
} as const

export const r2Keys = {
  // A version planned before sharding held the whole index here (read only for those).
  index: (version: string) => `recs/${version}/index.bin`,
  // The catalogue step: the index's content side and the item columns (ids, categories,
  // times: engine/itemColumns.ts) that shards, the assembling step and user batches read.
  content: (version: string) => `recs/${version}/content.bin`,
  items: (version: string) => `recs/${version}/items.bin`,
  // The assembling step's engagement per row (Float64, little-endian) and its trending and
  // category lists: with `items`, what a user batch ranks against.
  engagement: (version: string) => `recs/${version}/engagement.bin`,
  lists: (version: string) => `recs/${version}/lists.json`,
  activeUsers: (version: string) => `recs/${version}/active-users.json`,
  // Each planning shard's co-engagement columns (read by neighbour batches) and its sums
  // (read by the assembling step).
  shardColumns: (version: string, shard: number) => `recs/${version}/shards/${shard}.bin`,
  shardSums: (version: string, shard: number) => `recs/${version}/shards/${shard}.json`,
  // The assembling step's totals of the merged co-engagement matrix (per-item cap thresholds,
  // the walk's degrees: engine/coEngagementTotals.ts), with which a neighbour batch rebuilds
  // just its rows' part from the shards' columns.
  coEngagementTotals: (version: string) => `recs/${version}/walk.bin`,
  // Written once the assembling step has sent the neighbour batches.
  assembled: (version: string) => `recs/${version}/assembled`,
  // The head step's EASE lists (read by neighbour batches), and the neighbour batches, planned
  // by the assembling step but sent once the head step is done.
  headNeighbours: (version: string) => `recs/${version}/head.bin`,
  neighbourBatches: (version: string) => `recs/${version}/neighbour-batches.json`,
  neighbourBatchesSent: (version: string) => `recs/${version}/neighbour-batches-sent`,
  // The user batches, planned with the rest but sent once the neighbour blocks exist.
  userBatches: (version: string) => `recs/${version}/user-batches.json`,
  userBatchesSent: (version: string) => `recs/${version}/user-batches-sent`,
  prefix: 'recs/',
} as const

// Every list carries the model that made it, so a stale list is recognisable.
export interface ScoredList {
  version: string
  builtAt: number
  items: ScoredItem[]
}

export interface IdList {
  version: string
  builtAt: number
  items: string[]
}

export interface RebuildRecord {
  version: string
  trigger: string
  startedAt: number
  // When the planning shards were assembled and every later batch was counted and sent.
  plannedAt?: number | null
  finishedAt: number | null
  durationMs: number | null
  items: number
  users: number
  batches: number
  failedBatches: number
  // Written when the run finishes: exploratory share of feed items served over 7 days.
  explorationShare?: number | null
}

// Tunables, overridable at run time through the `recs:config` KV key. The defaults are the
// engine's own, chosen on validation splits of real logs (bench/recs/README.md), so the
// Worker ranks exactly as `npm run eval:recs` measures.
export const recsConfigSchema = z.object({
  weights: z
    .object({ similarity: z.number().min(0).max(1), engagement: z.number().min(0).max(1) })
    .default(defaultRankingOptions.weights),
  categoryWeight: z.number().min(0).max(1).default(defaultRankingOptions.categoryWeight),
  collaborativeBlend: z.number().min(0).max(1).default(defaultNeighbourOptions.collaborativeBlend),
  neighbourBatchSize: z.number().int().min(1).max(5000).default(500),
  userBatchSize: z.number().int().min(1).max(500).default(100),
  // Rows per D1 page while the cron reads the catalogue and interactions. Large pages keep
  // the planning step's query count low (D1 allows 1000 queries per invocation on paid
  // plans): 100k videos and 1.8M interactions take ~390 queries at 5000 rows.
  pageSize: z.number().int().min(2).max(5000).default(5000),
  // Active users per planning shard: a shard holds its users' interactions only (~100 rows
  // a user in the bench: 2,000 users are ~200k rows), whatever the catalogue's total.
  planShardUsers: z.number().int().min(1).max(20000).default(2000),
  windowDays: z.number().int().min(1).max(365).default(30),
})

export type RecsConfig = z.infer<typeof recsConfigSchema> & { weights: RankingWeights }

export async function loadRecsConfig(env: Env): Promise<RecsConfig> {
  const stored = await env.RECS.get(kvKeys.config, 'json')
  const parsed = recsConfigSchema.safeParse(stored ?? {})
  if (parsed.success) return parsed.data
  console.warn(JSON.stringify({ level: 'warn', event: 'recs-config-invalid' }))
  return recsConfigSchema.parse({})
}

export async function readJson<T>(kv: KVNamespace, key: string): Promise<T | null> {
  return kv.get<T>(key, 'json')
}

export async function putJson(kv: KVNamespace, key: string, value: unknown): Promise<void> {
  await kv.put(key, JSON.stringify(value))
}
