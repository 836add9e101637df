// One nightly rebuild at one scale, printed as JSON. `run.ts` starts one process per scale so
// no scale pays for another's heap. It follows the Worker's path with the Worker's code
// (engine/batches.ts): the planning step streams the interaction log in pages of 1000 rows
// (as D1 returns them) into the index and facts; neighbour batches decode the index once
// per isolate, serialise each `similar:` list as it would go to KV and encode the batch's
// neighbour block as it would go to R2; user batches of 100 load their users' histories,
// read the blocks that hold their seeds, analyse preferences and rank. Only D1, R2 and KV
// themselves are absent (bench/recs/feed.mjs and worker.mjs run the real ones).
//   node --expose-gc --import tsx bench/recs/rebuildScale.ts --items 100000 [--batch 500]

import { parseArgs } from 'node:util'
import {
  analysePreferences,
  batchRankingSources,
  createRebuildPlanner,
  createStoredNeighbourLists,
  decodeNeighbourBlock,
  decodeSimilarityIndex,
  encodeNeighbourBlock,
  encodeSimilarityIndex,
  createNeighbourLists,
  rowsByBlock,
  planNeighbourBatches,
  prepareNeighbourSearch,
  rankForUser,
  rankingSeeds,
  type Interaction,
  type InteractionKind,
  type NeighbourLists,
  type RebuildFacts,
  type StoredNeighbourLists,
} from '../../worker/src/features/recommendations/engine'
import { generateSyntheticDataset } from '../../worker/scripts/lib/syntheticInteractions'

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '500' },
    'user-batch': { type: 'string', default: '100' },
    'page-size': { type: 'string', default: '1000' },
  },
})
const itemCount = Number(values.items)
const batchSize = Number(values.batch)
const userBatchSize = Number(values['user-batch'])
const pageSize = Number(values['page-size'])

const gc = (globalThis as { gc?: () => void }).gc
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10
const seconds = (ms: number): number => Math.round(ms) / 1000
// Typed arrays live outside the JS heap, so "used" counts both.
const used = (): number => {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

// The interaction log as columns: the stand-in for the D1 tables, which the Worker never
// holds in memory as objects either.
const kinds: InteractionKind[] = ['view', 'like', 'comment', 'skip']
interface Columns {
  userIds: string[]
  itemIds: string[]
  user: Int32Array
  item: Int32Array
  kind: Uint8Array
  watch: Float32Array
  at: Float64Array
}
interface Log extends Columns {
  // The same rows grouped by user, and where each user's rows start: D1 reads a user's
  // history from the (user_id, video_id) primary key, so it is contiguous there too.
  byUser: Columns
  userStart: Int32Array
}

function toLog(interactions: Interaction[], itemIds: string[]): Log {
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

function row(log: Columns, i: number): Interaction {
  const watch = log.watch[i] ?? Number.NaN
  return {
    userId: log.userIds[log.user[i] ?? 0] ?? '',
    itemId: log.itemIds[log.item[i] ?? 0] ?? '',
    kind: kinds[log.kind[i] ?? 0] ?? 'view',
    ...(Number.isNaN(watch) ? {} : { watchFraction: watch }),
    at: log.at[i] ?? 0,
  }
}

const generated = generateSyntheticDataset({
  seed: 1,
  items: itemCount,
  users: itemCount / 5,
  interactions: itemCount * 20,
  days: 30,
  testDays: 0,
})
const now = generated.cutoff
const items = generated.items
const log = toLog(
  generated.train,
  items.map((i) => i.id),
)
const interactionCount = generated.train.length
generated.train.length = 0
gc?.()

const baseline = used()
let peak = baseline
const sample = (): void => {
  peak = Math.max(peak, used())
}
const phases: Record<string, { wallSeconds: number; cpuSeconds: number }> = {}
let wallMark = performance.now()
let cpuMark = process.cpuUsage()
const phase = (name: string): void => {
  sample()
  const cpu = process.cpuUsage(cpuMark)
  phases[name] = {
    wallSeconds: seconds(performance.now() - wallMark),
    cpuSeconds: seconds((cpu.user + cpu.system) / 1000),
  }
  wallMark = performance.now()
  cpuMark = process.cpuUsage()
}
const wallStarted = performance.now()
const cpuStarted = process.cpuUsage()

// 1. Planning step (the 03:00 cron): stream the log, store index + facts, plan batches.
const version = `bench-${itemCount}`
const planner = createRebuildPlanner(items, {
  now,
  version,
  trendingSize: 500,
  categoryListSize: 200,
})
for (let start = 0; start < interactionCount; start += pageSize) {
  const page: Interaction[] = []
  for (let i = start; i < Math.min(interactionCount, start + pageSize); i++) page.push(row(log, i))
  planner.add(page)
  if (start % (pageSize * 100) === 0) sample()
}
const planned = planner.finish()
const encoded = encodeSimilarityIndex(planned.index)
const factsJson = JSON.stringify(planned.facts)
const neighbourBatches = planNeighbourBatches(planned.index.itemIds.length, batchSize)
const userNumber = new Map(log.userIds.map((id, u) => [id, u]))
const userBatches = planned
  .batchUsers(log.userIds, userBatchSize)
  .map((batch) => batch.map((id) => userNumber.get(id) ?? 0))
phase('plan')
// The planning step is one invocation: its peak is what must fit a Worker's 128 MB.
const planPeakMB = mb(peak - baseline)

// 2. Neighbour batches in one warm isolate: decode once, then every slice. Each batch's
// block goes to the stand-in for R2.
const search = prepareNeighbourSearch(decodeSimilarityIndex(encoded))
const neighbours = createNeighbourLists(search)
const r2 = new Map<number, Uint8Array>()
let similarBytes = 0
for (const batch of neighbourBatches) {
  for (let r = batch.start; r < batch.end; r++) {
    similarBytes += JSON.stringify({ version, builtAt: now, items: neighbours.of(r) }).length
  }
  r2.set(batch.start, encodeNeighbourBlock(neighbours, batch.start, batch.end))
  sample()
}
phase('neighbourBatches')
const blockBytes = [...r2.values()].reduce((sum, b) => sum + b.byteLength, 0)

// 3. User batches: facts parsed once per isolate, histories and neighbour blocks per batch.
let current: StoredNeighbourLists | undefined
const facts = JSON.parse(factsJson) as RebuildFacts
const sources = batchRankingSources({ of: (r) => current?.of(r) ?? [] }, facts, 200)
let feedBytes = 0
let missingRows = 0
const blocksRead: number[] = []
const bytesRead: number[] = []
const userBatch = (users: number[], src = sources, itemIds = facts.itemIds): void => {
  const histories = new Map<string, Interaction[]>()
  for (const u of users) {
    const history: Interaction[] = []
    const grouped = log.byUser
    for (let p = log.userStart[u] ?? 0; p < (log.userStart[u + 1] ?? 0); p++) {
      history.push(row(grouped, p))
    }
    histories.set(log.userIds[u] ?? '', history)
  }
  const seeds = new Map([...histories].map(([id, h]) => [id, rankingSeeds(h, { now })]))
  const rows = new Set<number>()
  for (const list of seeds.values()) {
    for (const seed of list) {
      const r = src.rowOf(seed.itemId)
      if (r !== undefined) rows.add(r)
    }
  }
  const lists = createStoredNeighbourLists(itemIds)
  const blocks = rowsByBlock(rows, batchSize)
  let bytes = 0
  for (const [start, wanted] of blocks) {
    const stored = r2.get(start)
    if (!stored) continue
    bytes += stored.byteLength
    // A copy, as an R2 read hands the batch a fresh buffer.
    lists.add(decodeNeighbourBlock(stored.slice()), wanted)
  }
  blocksRead.push(blocks.size)
  bytesRead.push(bytes)
  current = lists
  const preferences = analysePreferences(
    [...histories.values()].flat(),
    (id) => src.item(id)?.categories,
    { now },
  )
  for (const [userId, history] of histories) {
    const list = rankForUser(
      src,
      { userId, history, preferences: preferences.get(userId), seeds: seeds.get(userId) },
      { now },
    )
    feedBytes += JSON.stringify({ version, builtAt: now, items: list }).length
  }
  missingRows += lists.missing()
  current = undefined
}
for (const users of userBatches) {
  userBatch(users)
  sample()
}
phase('userBatches')

const cpu = process.cpuUsage(cpuStarted)
const rebuild = {
  items: itemCount,
  users: log.userIds.length,
  interactions: interactionCount,
  rebuildSeconds: seconds(performance.now() - wallStarted),
  rebuildCpuSeconds: seconds((cpu.user + cpu.system) / 1000),
  phases,
  peakMemoryMB: mb(peak - baseline),
  planPeakMB,
  encodedIndexMB: mb(encoded.byteLength),
  factsMB: mb(factsJson.length),
  similarListsMB: mb(similarBytes),
  neighbourBlocksMB: mb(blockBytes),
  feedListsMB: mb(feedBytes),
  userBatchReads: {
    blocksMean: Math.round((blocksRead.reduce((a, b) => a + b, 0) / blocksRead.length) * 10) / 10,
    blocksMax: Math.max(0, ...blocksRead),
    blocksOfVersion: r2.size,
    mbMean: mb(bytesRead.reduce((a, b) => a + b, 0) / bytesRead.length),
    mbMax: mb(Math.max(0, ...bytesRead)),
    // Seeds whose block was absent: 0 unless a neighbour batch was lost.
    missingRows,
  },
}

// One cold neighbour batch as a fresh isolate runs it in the Worker: decode the index, build
// the inverted lists and the flat neighbour lists, answer one slice.
const answer = (lists: NeighbourLists, batch: { start: number; end: number }): void => {
  for (let r = batch.start; r < batch.end; r++) lists.of(r)
}
gc?.()
const before = used()
const coldStart = performance.now()
const cold = prepareNeighbourSearch(decodeSimilarityIndex(encoded))
const firstBatch = neighbourBatches[0] ?? { start: 0, end: 0 }
answer(createNeighbourLists(cold), firstBatch)
const coldMs = performance.now() - coldStart
const coldBytes = used() - before
const itemTotal = planned.index.itemIds.length
const structures =
  encoded.byteLength +
  // The flat neighbour lists (6 bytes a neighbour, 2 a row), bounded by their LRU's 48 MB.
  Math.min(48 * 1048576, itemTotal * (cold.options.k * 6 + 2)) +
  [cold.content, cold.coEngagement].reduce(
    (s, r) =>
      s +
      r.postings.columns.byteLength +
      r.postings.values.byteLength +
      r.postings.rowStart.byteLength +
      r.scores.byteLength +
      r.shared.byteLength +
      r.touched.byteLength,
    0,
  )
// The next slice in an isolate that already holds the decoded index.
const warmStart = performance.now()
answer(createNeighbourLists(search), neighbourBatches[1] ?? firstBatch)
const warmMs = performance.now() - warmStart

// One cold user batch: parse the facts, derive the ranking sources, read its blocks, rank.
// It never holds the index.
gc?.()
const beforeUsers = used()
let userPeak = beforeUsers
const coldUsersStart = performance.now()
const coldFacts = JSON.parse(factsJson) as RebuildFacts
const coldSources = batchRankingSources({ of: (r) => current?.of(r) ?? [] }, coldFacts, 200)
userPeak = Math.max(userPeak, used())
userBatch(userBatches[0] ?? [], coldSources, coldFacts.itemIds)
userPeak = Math.max(userPeak, used())
const coldUsersMs = performance.now() - coldUsersStart
const warmUsersStart = performance.now()
userBatch(userBatches[1] ?? userBatches[0] ?? [], coldSources, coldFacts.itemIds)
const warmUsersMs = performance.now() - warmUsersStart

console.log(
  JSON.stringify({
    gcExposed: gc !== undefined,
    ...rebuild,
    batch: {
      size: batchSize,
      neighbourBatches: neighbourBatches.length,
      userBatches: userBatches.length,
      coldBatchMB: mb(coldBytes),
      coldBatchStructuresMB: mb(structures),
      coldBatchSeconds: seconds(coldMs),
      warmBatchSeconds: seconds(warmMs),
      // Includes garbage not yet collected: an upper bound.
      coldUserBatchMB: mb(userPeak - beforeUsers),
      coldUserBatchSeconds: seconds(coldUsersMs),
      warmUserBatchSeconds: seconds(warmUsersMs),
    },
  }),
)
