// The nightly rebuild as the Worker runs it: the cron (or an admin) plans one version and
// fans it out as bounded queue batches; each batch writes its KV lists and ticks itself off
// in D1, and whichever batch completes the count writes `recs:last-rebuild`.

import { z } from 'zod'
import {
  DAY_MS,
  analysePreferences,
  batchRankingSources,
  createRebuildPlanner,
  decodeSimilarityIndex,
  encodeSimilarityIndex,
  createNeighbourLists,
  planNeighbourBatches,
  prepareNeighbourSearch,
  rankForUser,
  type CatalogueItem,
  type NeighbourLists,
  type RankingSources,
  type ScoredItem,
} from './engine'
import { loadHistories, pageActiveUsers, pageCatalogue, pageInteractions } from './catalogue'
import {
  kvKeys,
  loadRecsConfig,
  putJson,
  r2Keys,
  type IdList,
  type RebuildRecord,
  type ScoredList,
  type StoredFacts,
} from './store'
import { finishIfComplete, startRun } from './runs'

const versionText = z.string().min(1).max(64)
const userIds = z.array(z.string().min(1).max(64)).min(1).max(500)

export const recsMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('recs.rebuild'), trigger: z.string().max(64) }),
  z.object({
    type: z.literal('recs.neighbours'),
    version: versionText,
    start: z.number().int().min(0),
    end: z.number().int().min(0),
  }),
  z.object({
    type: z.literal('recs.users'),
    version: versionText,
    batch: z.number().int().min(0),
    userIds,
  }),
  z.object({
    type: z.literal('recs.preferences'),
    version: versionText,
    batch: z.number().int().min(0),
    userIds,
  }),
])
export type RecsMessage = z.infer<typeof recsMessage>

export const TRENDING_SIZE = 500
export const CATEGORY_LIST_SIZE = 200
export const FEED_LIST_SIZE = 100

export function batchIdOf(msg: RecsMessage): string {
  switch (msg.type) {
    case 'recs.rebuild':
      return 'plan'
    case 'recs.neighbours':
      return `n:${msg.start}-${msg.end}`
    case 'recs.users':
      return `u:${msg.batch}`
    case 'recs.preferences':
      return `p:${msg.batch}`
  }
}

async function sendAll(queue: Queue, messages: RecsMessage[]): Promise<void> {
  // sendBatch takes at most 100 messages per call.
  for (let i = 0; i < messages.length; i += 100) {
    await queue.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })))
  }
}

function newVersion(prefix: string, now: number): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0] ?? 0
  return `${prefix}${now.toString(36)}-${random.toString(36)}`
}

async function activeUsers(db: D1Database, since: number, pageSize: number): Promise<string[]> {
  const users: string[] = []
  for (let after = ''; ;) {
    const page = await pageActiveUsers(db, since, after, pageSize)
    users.push(...page)
    if (page.length < pageSize) break
    after = page[page.length - 1] ?? after
  }
  return users
}

// The 03:00 job: read the catalogue and the window's interactions page by page, build and
// store the similarity index, write trending and category lists, and enqueue the batches.
export async function rebuildRecommendations(
  env: Env,
  trigger = 'cron',
): Promise<{ version: string; items: number; users: number; batches: number }> {
  const config = await loadRecsConfig(env)
  const now = Date.now()
  const version = newVersion('r', now)
  await startRun(env.DB, { version, kind: 'recommendations', trigger, startedAt: now })
  await deleteStaleArtifacts(env)

  const items: CatalogueItem[] = []
  for (let after = ''; ;) {
    const page = await pageCatalogue(env.DB, after, config.pageSize)
    items.push(...page)
    if (page.length < config.pageSize) break
    after = page[page.length - 1]?.id ?? after
  }
  const since = now - config.windowDays * DAY_MS
  const planner = createRebuildPlanner(items, {
    now,
    version,
    trendingSize: TRENDING_SIZE,
    categoryListSize: CATEGORY_LIST_SIZE,
  })
  for await (const page of pageInteractions(env.DB, since, config.pageSize)) planner.add(page)
  const planned = planner.finish()
  const { index, facts, categoryLists, parentCategoryLists } = planned
  await env.MEDIA.put(r2Keys.index(version), encodeSimilarityIndex(index))
  await env.MEDIA.put(r2Keys.facts(version), JSON.stringify(facts))

  const scored = (list: ScoredItem[]): ScoredList => ({ version, builtAt: now, items: list })
  const ids = (list: string[]): IdList => ({ version, builtAt: now, items: list })
  await putJson(env.RECS, kvKeys.trending, scored(facts.trending))
  const lists = [
    ...[...categoryLists].map(([c, list]) => [kvKeys.category(c), list] as const),
    ...[...parentCategoryLists].map(([p, list]) => [kvKeys.parentCategory(p), list] as const),
  ]
  for (const [key, list] of lists) await putJson(env.RECS, key, ids(list))

  const userBatches = planned.batchUsers(
    await activeUsers(env.DB, since, config.pageSize),
    config.userBatchSize,
  )
  const messages: RecsMessage[] = [
    ...planNeighbourBatches(facts.itemIds.length, config.neighbourBatchSize).map(
      (b): RecsMessage => ({
        type: 'recs.neighbours',
        version,
        start: b.start,
        end: b.end,
      }),
    ),
    ...userBatches.map((batch, i): RecsMessage => ({
      type: 'recs.users',
      version,
      batch: i,
      userIds: batch,
    })),
  ]
  const users = userBatches.reduce((sum, b) => sum + b.length, 0)
  // The total is recorded before anything is sent, so no batch can finish the run early.
  await env.DB.prepare(
    `UPDATE recs_rebuilds SET items = ?2, users = ?3, batches = ?4, planned_at = ?5
     WHERE version = ?1`,
  )
    .bind(version, facts.itemIds.length, users, messages.length, Date.now())
    .run()
  await sendAll(env.RECS_QUEUE, messages)
  if (messages.length === 0) await finishIfComplete(env, version)
  return { version, items: facts.itemIds.length, users, batches: messages.length }
}

// Keeps only the artifacts of the last finished rebuild (its batches may still be
// redelivered); older versions are deleted before the new one is written.
async function deleteStaleArtifacts(env: Env): Promise<void> {
  const keep = (await env.RECS.get<RebuildRecord>(kvKeys.lastRebuild, 'json'))?.version
  const versions = await env.MEDIA.list({ prefix: r2Keys.prefix, delimiter: '/' })
  for (const prefix of versions.delimitedPrefixes) {
    if (keep && prefix === `${r2Keys.prefix}${keep}/`) continue
    const objects = await env.MEDIA.list({ prefix })
    if (objects.objects.length > 0) await env.MEDIA.delete(objects.objects.map((o) => o.key))
  }
}

// A decoded index, its search structures, the neighbour lists computed so far and the item
// facts, kept per isolate: consecutive batches of one version (the common case) skip the R2
// read and the decode, and user batches reuse the lists neighbour batches computed.
interface LoadedModel {
  version: string
  neighbours: NeighbourLists
  facts: StoredFacts
  sources: RankingSources
}
let loaded: LoadedModel | undefined

async function loadModel(env: Env, version: string): Promise<LoadedModel | null> {
  if (loaded?.version === version) return loaded
  const [indexObject, factsObject] = await Promise.all([
    env.MEDIA.get(r2Keys.index(version)),
    env.MEDIA.get(r2Keys.facts(version)),
  ])
  if (!indexObject || !factsObject) return null
  const index = decodeSimilarityIndex(new Uint8Array(await indexObject.arrayBuffer()))
  const facts = await factsObject.json<StoredFacts>()
  const config = await loadRecsConfig(env)
  const search = prepareNeighbourSearch(index, { collaborativeBlend: config.collaborativeBlend })
  const neighbours = createNeighbourLists(search)
  const sources = batchRankingSources(neighbours, facts, CATEGORY_LIST_SIZE)
  loaded = { version, neighbours, facts, sources }
  return loaded
}

// Rows [start, end) of the index -> similar:{videoId}. A redelivery rewrites the same keys.
export async function writeNeighbourBatch(
  env: Env,
  msg: { version: string; start: number; end: number },
): Promise<void> {
  const model = await loadModel(env, msg.version)
  if (!model) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  const builtAt = model.facts.builtAt
  const end = Math.min(msg.end, model.facts.itemIds.length)
  for (let row = msg.start; row < end; row++) {
    const items = model.neighbours.of(row)
    const list: ScoredList = { version: msg.version, builtAt, items }
    await putJson(env.RECS, kvKeys.similar(model.facts.itemIds[row] ?? ''), list)
  }
}

// A slice of users -> feed:{userId}, ranked with the configured weights.
export async function writeUserBatch(
  env: Env,
  msg: { version: string; userIds: string[] },
): Promise<void> {
  const model = await loadModel(env, msg.version)
  if (!model) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  const config = await loadRecsConfig(env)
  const now = Date.now()
  const histories = await loadHistories(env.DB, msg.userIds, now - config.windowDays * DAY_MS)
  const preferences = analysePreferences(
    [...histories.values()].flat(),
    (id) => model.sources.item(id)?.categories,
    { now, windowDays: config.windowDays },
  )
  for (const userId of msg.userIds) {
    const items = rankForUser(
      model.sources,
      { userId, history: histories.get(userId) ?? [], preferences: preferences.get(userId) },
      {
        now,
        weights: config.weights,
        categoryWeight: config.categoryWeight,
        limit: FEED_LIST_SIZE,
      },
    )
    const list: ScoredList = { version: msg.version, builtAt: model.facts.builtAt, items }
    await putJson(env.RECS, kvKeys.feed(userId), list)
  }
}

export async function readLastRebuild(env: Env): Promise<RebuildRecord | null> {
  return env.RECS.get<RebuildRecord>(kvKeys.lastRebuild, 'json')
}
