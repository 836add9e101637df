// The nightly rebuild as the Worker runs it, as bounded queue batches that each tick
// themselves off in D1: the cron (or an admin) reads the catalogue and enqueues planning
// shards (ranges of users); the shard that completes them assembles the facts and lists and
// sends the head step; the head step fits EASE on the most engaged videos and sends the
// neighbour batches; the last neighbour batch sends the user batches; whichever batch
// completes the count writes `recs:last-rebuild`.

import { z } from 'zod'
import {
  DAY_MS,
  analysePreferences,
  batchRankingSources,
  createCataloguePlanner,
  decodeItemColumns,
  encodeItemColumns,
  rankingFacts,
  storedRankingLists,
  createPlanShard,
  createRebuildAssembler,
  createCoEngagementTotals,
  encodeCoEngagementTotals,
  type CoEngagementTotals,
  decodeShardColumns,
  encodeShardColumns,
  encodeSimilarityIndex,
  planUserRanges,
  createSeedLists,
  seedReads,
  planNeighbourBatches,
  rankForUser,
  rankingSeeds,
  type ShardSums,
  type ScoredItem,
  type RankingFacts,
  type SeedLists,
  type StoredRankingLists,
  type StoredSimilarList,
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
} from './store'
import { finishIfComplete, startRun } from './runs'

const versionText = z.string().min(1).max(64)
const userIds = z.array(z.string().min(1).max(64)).min(1).max(500)

export const recsMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('recs.rebuild'), trigger: z.string().max(64) }),
  z.object({
    type: z.literal('recs.plan-shard'),
    version: versionText,
    shard: z.number().int().min(0),
    // How many shards the version has: the one that completes them assembles the plan.
    of: z.number().int().min(1),
    // Users with ids in (after, upto]; upto null for the last shard.
    after: z.string().max(64),
    upto: z.string().min(1).max(64).nullable(),
    // The run's clock and window, so every shard decays and filters alike, and the batch
    // sizes the assembling shard plans with: the whole run follows the cron's config.
    now: z.number().int(),
    since: z.number().int(),
    neighbourBatchSize: z.number().int().min(1),
    userBatchSize: z.number().int().min(1),
  }),
  z.object({
    // One per version: EASE on the head of the catalogue, then the neighbour batches.
    type: z.literal('recs.head'),
    version: versionText,
    shards: z.number().int().min(1),
  }),
  z.object({
    type: z.literal('recs.neighbours'),
    version: versionText,
    start: z.number().int().min(0),
    end: z.number().int().min(0),
    // How many neighbour batches the version has: the one that completes them sends the
    // user batches.
    of: z.number().int().min(1),
    // How many planning shards hold the co-engagement columns (absent: a version planned
    // before sharding, whose whole index is one object).
    shards: z.number().int().min(1).optional(),
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
    case 'recs.plan-shard':
      return `s:${msg.shard}`
    case 'recs.head':
      return 'h'
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

// The 03:00 job, first of the planning step's pieces: read the catalogue, store what
// depends on items only (the index's content side, the item facts), cut the window's active
// users into ranges and enqueue one planning shard per range. Nothing here reads an
// interaction, so it grows with the catalogue and the number of users only.
export async function rebuildRecommendations(
  env: Env,
  trigger = 'cron',
): Promise<{ version: string; items: number; users: number; batches: number }> {
  const config = await loadRecsConfig(env)
  const now = Date.now()
  const version = newVersion('r', now)
  await startRun(env.DB, { version, kind: 'recommendations', trigger, startedAt: now })
  await deleteStaleArtifacts(env)

  // Each page is reduced to a few typed arrays at once: the step never holds the catalogue.
  const cataloguePlanner = createCataloguePlanner({ now, version })
  for (let after = ''; ;) {
    const page = await pageCatalogue(env.DB, after, config.pageSize)
    cataloguePlanner.add(page)
    if (page.length < config.pageSize) break
    after = page[page.length - 1]?.id ?? after
  }
  const planned = cataloguePlanner.finish()
  const itemCount = planned.facts.itemIds.length
  await env.MEDIA.put(r2Keys.content(version), encodeSimilarityIndex(planned.contentIndex))
  await env.MEDIA.put(r2Keys.items(version), encodeItemColumns(planned.facts))

  const since = now - config.windowDays * DAY_MS
  const active = await activeUsers(env.DB, since, config.pageSize)
  // Sorted as the shards' ranges compare (ids are ASCII: JS and SQLite agree on the order).
  active.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  await env.MEDIA.put(r2Keys.activeUsers(version), JSON.stringify(active))
  const ranges = planUserRanges(active, config.planShardUsers)
  const shards = ranges.map((range, shard): RecsMessage => ({
    type: 'recs.plan-shard',
    version,
    shard,
    of: ranges.length,
    after: range.after,
    upto: range.upto,
    now,
    since,
    neighbourBatchSize: config.neighbourBatchSize,
    userBatchSize: config.userBatchSize,
  }))
  // Only the shards are counted yet (planned_at stays empty, so the run cannot finish);
  // the assembling shard adds the neighbour and user batches before it sends any.
  await env.DB.prepare(
    `UPDATE recs_rebuilds SET items = ?2, users = ?3, batches = ?4 WHERE version = ?1`,
  )
    .bind(version, itemCount, active.length, shards.length)
    .run()
  await sendAll(env.RECS_QUEUE, shards)
  return { version, items: itemCount, users: active.length, batches: shards.length }
}

type PlanShardMessage = Extract<RecsMessage, { type: 'recs.plan-shard' }>

// One planning shard: its users' interactions of the window -> their co-engagement columns
// and their per-item sums, in R2. A redelivery rewrites the same objects.
export async function writePlanShard(env: Env, msg: PlanShardMessage): Promise<void> {
  const itemsObject = await env.MEDIA.get(r2Keys.items(msg.version))
  if (!itemsObject) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  const config = await loadRecsConfig(env)
  const items = decodeItemColumns(new Uint8Array(await itemsObject.arrayBuffer()))
  const shard = createPlanShard(items.ids, { now: msg.now })
  const range = { after: msg.after, upto: msg.upto }
  for await (const page of pageInteractions(env.DB, msg.since, config.pageSize, range)) {
    shard.add(page)
  }
  const { columns, sums } = shard.finish()
  await env.MEDIA.put(
    r2Keys.shardColumns(msg.version, msg.shard),
    // Blocks of the neighbour batches' size: a batch's rows are one block's user list.
    encodeShardColumns(columns, msg.neighbourBatchSize),
  )
  await env.MEDIA.put(r2Keys.shardSums(msg.version, msg.shard), JSON.stringify(sums))
}

// Called after each planning shard is marked done. The shard that completes the count (lost
// ones count, marked failed; their users are left out) adds up the shards' per-item sums
// into the facts, trending and category lists, plans the user batches, records the total
// and sends the neighbour batches. Two shards finishing at once may both do it: every write
// is the same and the batches are idempotent, so that only costs work.
export async function assembleWhenReady(
  env: Env,
  msg: {
    version: string
    of: number
    now: number
    neighbourBatchSize: number
    userBatchSize: number
  },
): Promise<void> {
  const done = await env.DB.prepare(
    `SELECT count(*) AS n FROM recs_rebuild_batches WHERE version = ?1 AND batch_id LIKE 's:%'`,
  )
    .bind(msg.version)
    .first<{ n: number }>()
  if ((done?.n ?? 0) < msg.of) return
  if (await env.MEDIA.head(r2Keys.assembled(msg.version))) return
  const [itemsObject, activeObject] = await Promise.all([
    env.MEDIA.get(r2Keys.items(msg.version)),
    env.MEDIA.get(r2Keys.activeUsers(msg.version)),
  ])
  if (!itemsObject || !activeObject) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  const items = decodeItemColumns(new Uint8Array(await itemsObject.arrayBuffer()))
  const assembler = createRebuildAssembler(items, {
    trendingSize: TRENDING_SIZE,
    categoryListSize: CATEGORY_LIST_SIZE,
  })
  // One shard's sums in memory at a time.
  for (let shard = 0; shard < msg.of; shard++) {
    const object = await env.MEDIA.get(r2Keys.shardSums(msg.version, shard))
    if (object) assembler.add(await object.json<ShardSums>())
  }
  const { version } = msg
  await env.MEDIA.put(
    r2Keys.coEngagementTotals(version),
    encodeCoEngagementTotals(await coEngagementTotals(env, version, items.ids.size, msg.of)),
  )
  const assembled = assembler.finish()
  const { engagement, categoryLists, parentCategoryLists } = assembled
  await env.MEDIA.put(r2Keys.engagement(version), Float64Array.from(engagement.engagement))
  await env.MEDIA.put(
    r2Keys.lists(version),
    JSON.stringify(
      storedRankingLists({ ...assembled, builtAt: msg.now, trending: engagement.trending }),
    ),
  )

  const scored = (list: ScoredItem[]): ScoredList => ({ version, builtAt: msg.now, items: list })
  const ids = (list: string[]): IdList => ({ version, builtAt: msg.now, items: list })
  await putJson(env.RECS, kvKeys.trending, scored(engagement.trending))
  const lists = [
    ...[...categoryLists].map(([c, list]) => [kvKeys.category(c), list] as const),
    ...[...parentCategoryLists].map(([p, list]) => [kvKeys.parentCategory(p), list] as const),
  ]
  for (const [key, list] of lists) await putJson(env.RECS, key, ids(list))

  const userBatches = assembled.batchUsers(await activeObject.json<string[]>(), msg.userBatchSize)
  const neighbourBatches = planNeighbourBatches(items.ids.size, msg.neighbourBatchSize)
  const userMessages = userBatches.map((batch, i): UserBatchMessage => ({
    type: 'recs.users',
    version,
    batch: i,
    userIds: batch,
  }))
  const neighbourMessages = neighbourBatches.map((b): RecsMessage => ({
    type: 'recs.neighbours',
    version,
    start: b.start,
    end: b.end,
    of: neighbourBatches.length,
    shards: msg.of,
  }))
  // Neighbour batches read the head step's lists, and user batches the lists the neighbour
  // batches store, so each kind waits in R2 until the step before it is done
  // (`sendNeighbourBatchesWhenReady`, `sendUserBatchesWhenReady`).
  await env.MEDIA.put(r2Keys.userBatches(version), JSON.stringify(userMessages))
  await env.MEDIA.put(r2Keys.neighbourBatches(version), JSON.stringify(neighbourMessages))
  const headMessages: RecsMessage[] =
    neighbourMessages.length > 0 ? [{ type: 'recs.head', version, shards: msg.of }] : []
  const users = userBatches.reduce((sum, b) => sum + b.length, 0)
  const batches = msg.of + headMessages.length + neighbourMessages.length + userMessages.length
  // The total is recorded before anything is sent, so no batch can finish the run early.
  await env.DB.prepare(
    `UPDATE recs_rebuilds SET users = ?2, batches = ?3, planned_at = coalesce(planned_at, ?4)
     WHERE version = ?1`,
  )
    .bind(version, users, batches, Date.now())
    .run()
  if (headMessages.length > 0) await sendAll(env.RECS_QUEUE, headMessages)
  else await sendAll(env.RECS_QUEUE, userMessages)
  await env.MEDIA.put(r2Keys.assembled(version), String(Date.now()))
  // With nothing to send (no videos, no users) the shards were the whole run.
  await finishIfComplete(env, version)
}

type UserBatchMessage = Extract<RecsMessage, { type: 'recs.users' }>

// The per-item cap's thresholds and the walk's degrees over every shard's columns, so that
// each neighbour batch reads only its rows' users (neighbour-batches.ts). Two passes, one
// shard's columns in memory at a time; a lost shard is left out, as everywhere.
async function coEngagementTotals(
  env: Env,
  version: string,
  itemCount: number,
  shards: number,
): Promise<CoEngagementTotals> {
  const totals = createCoEngagementTotals(itemCount, shards)
  for (const pass of [totals.count, totals.keep]) {
    for (let shard = 0; shard < shards; shard++) {
      const object = await env.MEDIA.get(r2Keys.shardColumns(version, shard))
      pass(
        shard,
        object ? decodeShardColumns(new Uint8Array(await object.arrayBuffer())) : undefined,
      )
    }
  }
  return totals.finish()
}

// Called after the head step is marked done, or dead-lettered: the neighbour batches then
// search with the walk alone.
export async function sendNeighbourBatchesWhenReady(
  env: Env,
  msg: { version: string },
): Promise<void> {
  await sendPlannedOnce(
    env,
    msg,
    r2Keys.neighbourBatches(msg.version),
    r2Keys.neighbourBatchesSent(msg.version),
  )
}

// Called after each neighbour batch is marked done. When every neighbour batch of the
// version is done (lost ones count, marked failed), the user batches are sent.
export async function sendUserBatchesWhenReady(
  env: Env,
  msg: { version: string; of: number },
): Promise<void> {
  const done = await env.DB.prepare(
    `SELECT count(*) AS n FROM recs_rebuild_batches WHERE version = ?1 AND batch_id LIKE 'n:%'`,
  )
    .bind(msg.version)
    .first<{ n: number }>()
  if ((done?.n ?? 0) < msg.of) return
  await sendPlannedOnce(
    env,
    msg,
    r2Keys.userBatches(msg.version),
    r2Keys.userBatchesSent(msg.version),
  )
}

// Sends the messages planned under `planned` unless `sent` marks them sent. Two callers at
// once may both send them: the batches are idempotent, so that only costs work, whereas a
// claim written before a failed send would lose them for good.
async function sendPlannedOnce(
  env: Env,
  msg: { version: string },
  planned: string,
  sent: string,
): Promise<void> {
  if (await env.MEDIA.head(sent)) return
  const object = await env.MEDIA.get(planned)
  if (!object) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  await sendAll(env.RECS_QUEUE, await object.json<RecsMessage[]>())
  await env.MEDIA.put(sent, String(Date.now()))
}

// Keeps only the artifacts of the last finished rebuild (its batches may still be
// redelivered); older versions are deleted before the new one is written.
async function deleteStaleArtifacts(env: Env): Promise<void> {
  const keep = (await env.RECS.get<RebuildRecord>(kvKeys.lastRebuild, 'json'))?.version
  const versions = await env.MEDIA.list({ prefix: r2Keys.prefix, delimiter: '/' })
  for (const prefix of versions.delimitedPrefixes) {
    if (keep && prefix === `${r2Keys.prefix}${keep}/`) continue
    // A version holds one neighbour block per 500 videos: more than one listing page at 500k.
    for (let cursor: string | undefined; ;) {
      const objects = await env.MEDIA.list({ prefix, ...(cursor ? { cursor } : {}) })
      if (objects.objects.length > 0) await env.MEDIA.delete(objects.objects.map((o) => o.key))
      if (!objects.truncated) break
      cursor = objects.cursor
    }
  }
}

// Per isolate, consecutive user batches of one version (the common case) skip the R2 reads
// and the decoding: they keep the parsed facts and what ranking derives from them, and never
// hold the index (neighbour batches: neighbour-batches.ts).
interface LoadedFacts {
  version: string
  builtAt: number
  facts: RankingFacts
  sources: BatchSources
}
let loadedFacts: LoadedFacts | undefined

type BatchSources = ReturnType<typeof batchRankingSources>

// The neighbour lists a user batch ranks with, swapped in per batch.
let batchNeighbours: SeedLists | undefined

async function loadFacts(env: Env, version: string): Promise<LoadedFacts | null> {
  if (loadedFacts?.version === version) return loadedFacts
  // The catalogue step's item columns and the assembling step's engagement and lists. A
  // version planned by an older deploy stored them otherwise: its user batches are skipped
  // (logged as gone) and its users keep the lists they had until the next rebuild.
  const [itemsObject, engagementObject, listsObject] = await Promise.all([
    env.MEDIA.get(r2Keys.items(version)),
    env.MEDIA.get(r2Keys.engagement(version)),
    env.MEDIA.get(r2Keys.lists(version)),
  ])
  if (!itemsObject || !engagementObject || !listsObject) return null
  const items = decodeItemColumns(new Uint8Array(await itemsObject.arrayBuffer()))
  const lists = await listsObject.json<StoredRankingLists>()
  const facts = rankingFacts(items, new Float64Array(await engagementObject.arrayBuffer()), lists)
  const sources = batchRankingSources(
    { arrays: (row) => batchNeighbours?.arrays(items.ids.idAt(row)) },
    facts,
  )
  loadedFacts = { version, builtAt: lists.builtAt, facts, sources }
  return loadedFacts
}

// A slice of users -> feed:{userId}, ranked with the configured weights. The batch reads the
// `similar:` lists of its users' seeds (KV bulk reads of 100 keys), so what it reads follows
// its users, whatever the size of the catalogue.
export async function writeUserBatch(
  env: Env,
  msg: { version: string; userIds: string[] },
): Promise<void> {
  const model = await loadFacts(env, msg.version)
  if (!model) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  const config = await loadRecsConfig(env)
  const now = Date.now()
  const histories = await loadHistories(env.DB, msg.userIds, now - config.windowDays * DAY_MS)
  const rankOptions = {
    now,
    weights: config.weights,
    categoryWeight: config.categoryWeight,
    limit: FEED_LIST_SIZE,
  }
  const seeds = new Map(
    [...histories].map(([userId, history]) => [userId, rankingSeeds(history, rankOptions)]),
  )
  const seedIds: string[] = []
  for (const list of seeds.values()) {
    for (const seed of list) {
      if (model.sources.rowOf(seed.itemId) !== undefined) seedIds.push(seed.itemId)
    }
  }
  batchNeighbours = await readSeedLists(env, msg.version, seedIds)
  const preferences = analysePreferences(
    [...histories.values()].flat(),
    (id) => model.sources.item(id)?.categories,
    { now, windowDays: config.windowDays },
  )
  for (const userId of msg.userIds) {
    const items = rankForUser(
      model.sources,
      {
        userId,
        history: histories.get(userId) ?? [],
        preferences: preferences.get(userId),
        seeds: seeds.get(userId),
      },
      rankOptions,
    )
    const list: ScoredList = { version: msg.version, builtAt: model.builtAt, items }
    await putJson(env.RECS, kvKeys.feed(userId), list)
  }
  if (batchNeighbours.missing() > 0 || batchNeighbours.stale() > 0) {
    // These users were ranked without some of their seeds' lists (a lost neighbour batch, or
    // a write KV has not shown here yet), or with an older version's.
    console.warn(
      JSON.stringify({
        level: 'warn',
        event: 'recs-neighbours-missing',
        version: msg.version,
        missing: batchNeighbours.missing(),
        stale: batchNeighbours.stale(),
      }),
    )
  }
  batchNeighbours = undefined
}

async function readSeedLists(env: Env, version: string, seedIds: string[]): Promise<SeedLists> {
  const lists = createSeedLists(version)
  // A bulk read is not bound by the six connections a Worker keeps open; these go all at once
  // (at most 50 for a batch of 100 users).
  const reads = await Promise.all(
    seedReads(seedIds).map((keys) =>
      env.RECS.get<StoredSimilarList>(keys.map(kvKeys.similar), 'json').then((found) =>
        keys.map((id) => [id, found.get(kvKeys.similar(id))] as const),
      ),
    ),
  )
  for (const read of reads) for (const [id, list] of read) lists.add(id, list)
  return lists
}

export async function readLastRebuild(env: Env): Promise<RebuildRecord | null> {
  return env.RECS.get<RebuildRecord>(kvKeys.lastRebuild, 'json')
}
