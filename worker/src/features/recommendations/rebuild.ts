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
  createStoredNeighbourLists,
  decodeNeighbourBlock,
  encodeNeighbourBlock,
  rowsByBlock,
  planNeighbourBatches,
  prepareNeighbourSearch,
  rankForUser,
  rankingSeeds,
  type CatalogueItem,
  type NeighbourLists,
  type ScoredItem,
  type StoredNeighbourLists,
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
    // How many neighbour batches the version has: the one that completes them sends the
    // user batches.
    of: z.number().int().min(1),
  }),
  z.object({
    type: z.literal('recs.users'),
    version: versionText,
    batch: z.number().int().min(0),
    // Rows per stored neighbour block (the neighbour batches' size).
    blockRows: z.number().int().min(1),
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
  const neighbourBatches = planNeighbourBatches(facts.itemIds.length, config.neighbourBatchSize)
  const userMessages = userBatches.map((batch, i): UserBatchMessage => ({
    type: 'recs.users',
    version,
    batch: i,
    blockRows: config.neighbourBatchSize,
    userIds: batch,
  }))
  const neighbourMessages = neighbourBatches.map((b): RecsMessage => ({
    type: 'recs.neighbours',
    version,
    start: b.start,
    end: b.end,
    of: neighbourBatches.length,
  }))
  // User batches read the lists the neighbour batches store, so they are sent when the last
  // neighbour batch is done (`sendUserBatchesWhenReady`); until then they wait in R2.
  await env.MEDIA.put(r2Keys.userBatches(version), JSON.stringify(userMessages))
  const users = userBatches.reduce((sum, b) => sum + b.length, 0)
  const batches = neighbourMessages.length + userMessages.length
  // The total is recorded before anything is sent, so no batch can finish the run early.
  await env.DB.prepare(
    `UPDATE recs_rebuilds SET items = ?2, users = ?3, batches = ?4, planned_at = ?5
     WHERE version = ?1`,
  )
    .bind(version, facts.itemIds.length, users, batches, Date.now())
    .run()
  if (neighbourMessages.length > 0) await sendAll(env.RECS_QUEUE, neighbourMessages)
  else await sendAll(env.RECS_QUEUE, userMessages)
  if (batches === 0) await finishIfComplete(env, version)
  return { version, items: facts.itemIds.length, users, batches }
}

type UserBatchMessage = Extract<RecsMessage, { type: 'recs.users' }>

// Called after each neighbour batch is marked done. When every neighbour batch of the
// version is done (lost ones count, marked failed), the user batches are sent. Two batches
// finishing at once may both send them: user batches are idempotent, so that only costs
// work, whereas a claim written before a failed send would lose them for good.
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
  if (await env.MEDIA.head(r2Keys.userBatchesSent(msg.version))) return
  const planned = await env.MEDIA.get(r2Keys.userBatches(msg.version))
  if (!planned) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  await sendAll(env.RECS_QUEUE, await planned.json<UserBatchMessage[]>())
  await env.MEDIA.put(r2Keys.userBatchesSent(msg.version), String(Date.now()))
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

// Per isolate, consecutive batches of one version (the common case) skip the R2 reads and
// the decoding: neighbour batches keep the decoded index, its search structures and the
// lists computed so far; user batches keep the parsed facts and what ranking derives from
// them. Each kind loads only what it uses, so a user batch never holds the index.
interface LoadedSearch {
  version: string
  builtAt: number
  neighbours: NeighbourLists
  itemIds: string[]
}
let loadedSearch: LoadedSearch | undefined
interface LoadedFacts {
  version: string
  facts: StoredFacts
  sources: BatchSources
}
let loadedFacts: LoadedFacts | undefined

type BatchSources = ReturnType<typeof batchRankingSources>

async function loadSearch(env: Env, version: string): Promise<LoadedSearch | null> {
  if (loadedSearch?.version === version) return loadedSearch
  const indexObject = await env.MEDIA.get(r2Keys.index(version))
  if (!indexObject) return null
  const index = decodeSimilarityIndex(new Uint8Array(await indexObject.arrayBuffer()))
  const config = await loadRecsConfig(env)
  const search = prepareNeighbourSearch(index, { collaborativeBlend: config.collaborativeBlend })
  loadedSearch = {
    version,
    builtAt: index.builtAt,
    neighbours: createNeighbourLists(search),
    itemIds: index.itemIds,
  }
  return loadedSearch
}

// The neighbour lists a user batch ranks with, swapped in per batch.
let batchNeighbours: StoredNeighbourLists | undefined

async function loadFacts(env: Env, version: string): Promise<LoadedFacts | null> {
  if (loadedFacts?.version === version) return loadedFacts
  const factsObject = await env.MEDIA.get(r2Keys.facts(version))
  if (!factsObject) return null
  const facts = await factsObject.json<StoredFacts>()
  const neighbours = { of: (row: number) => batchNeighbours?.of(row) ?? [] }
  const sources = batchRankingSources(neighbours, facts, CATEGORY_LIST_SIZE)
  loadedFacts = { version, facts, sources }
  return loadedFacts
}

// Rows [start, end) of the index -> similar:{videoId}, and the same lists as one block in R2
// for the user batches. A redelivery rewrites the same keys.
export async function writeNeighbourBatch(
  env: Env,
  msg: { version: string; start: number; end: number },
): Promise<void> {
  const model = await loadSearch(env, msg.version)
  if (!model) {
    console.warn(JSON.stringify({ level: 'warn', event: 'recs-version-gone', ...msg }))
    return
  }
  const end = Math.min(msg.end, model.itemIds.length)
  await env.MEDIA.put(
    r2Keys.neighbourBlock(msg.version, msg.start),
    encodeNeighbourBlock(model.neighbours, msg.start, end),
  )
  for (let row = msg.start; row < end; row++) {
    const items = model.neighbours.of(row)
    const list: ScoredList = { version: msg.version, builtAt: model.builtAt, items }
    await putJson(env.RECS, kvKeys.similar(model.itemIds[row] ?? ''), list)
  }
}

// A slice of users -> feed:{userId}, ranked with the configured weights. The batch reads the
// neighbour blocks that hold its users' seeds (one R2 read per block, at most 200 at 100k
// videos) and ranks with the rows it copied out of them.
export async function writeUserBatch(
  env: Env,
  msg: { version: string; userIds: string[]; blockRows: number },
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
  const seedRows = new Set<number>()
  for (const list of seeds.values()) {
    for (const seed of list) {
      const row = model.sources.rowOf(seed.itemId)
      if (row !== undefined) seedRows.add(row)
    }
  }
  batchNeighbours = await readNeighbourLists(env, msg, model.facts.itemIds, seedRows)
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
    const list: ScoredList = { version: msg.version, builtAt: model.facts.builtAt, items }
    await putJson(env.RECS, kvKeys.feed(userId), list)
  }
  if (batchNeighbours.missing() > 0) {
    // A lost neighbour batch: these users were ranked without some of their seeds.
    console.warn(
      JSON.stringify({
        level: 'warn',
        event: 'recs-neighbours-missing',
        version: msg.version,
        rows: batchNeighbours.missing(),
      }),
    )
  }
  batchNeighbours = undefined
}

async function readNeighbourLists(
  env: Env,
  msg: { version: string; blockRows: number },
  itemIds: string[],
  rows: Set<number>,
): Promise<StoredNeighbourLists> {
  const lists = createStoredNeighbourLists(itemIds)
  const blocks = [...rowsByBlock(rows, msg.blockRows)]
  // Six at a time: a Worker keeps at most six connections open at once.
  for (let i = 0; i < blocks.length; i += 6) {
    await Promise.all(
      blocks.slice(i, i + 6).map(async ([start, wanted]) => {
        const object = await env.MEDIA.get(r2Keys.neighbourBlock(msg.version, start))
        if (!object) return
        lists.add(decodeNeighbourBlock(new Uint8Array(await object.arrayBuffer())), wanted)
      }),
    )
  }
  return lists
}

export async function readLastRebuild(env: Env): Promise<RebuildRecord | null> {
  return env.RECS.get<RebuildRecord>(kvKeys.lastRebuild, 'json')
}
