// One nightly rebuild at one scale, printed as JSON. `run.ts` starts one process per scale so
// no scale pays for another's heap. It follows the Worker's path with the Worker's code
// (engine/shards.ts, engine/batches.ts): the planning step's pieces, each measured as its own
// invocation (the catalogue step over D1-sized pages, one shard per 2,000 users reading its
// users' rows in pages of 1000, the assembling step), with what passes between them as
// bytes; neighbour batches keep the content side and the shards' heads per isolate and read,
// per batch, only their rows' users' ranges of the shards' files (with the assembling step's
// totals: neighbourBatch.ts), serialise each `similar:` list as it would go to KV; user
// batches of 100 load their users' histories, read their seeds' `similar:` lists (bulk reads
// of 100 keys, each value parsed as KV's 'json' type does), analyse preferences and rank
// (userBatch.ts). Only D1, R2 and KV themselves are absent (bench/recs/feed.mjs and
// worker.mjs run the real ones). `--digest`, `--check` and `--before` check that a change
// keeps the output (sameOutput.ts).
//   node --expose-gc --import tsx bench/recs/rebuildScale.ts --items 100000 [--batch 500]
//     [--shard-users 2000] [--before: also the one-shot planning step, and an index check]
//     [--plan-only: the planning pieces and one cold neighbour batch, and the same batch
//     merging every shard as before]

import { parseArgs } from 'node:util'
import {
  decodeItemColumns,
  encodeItemColumns,
  rankingFacts,
  storedRankingLists,
  createCataloguePlanner,
  createPlanShard,
  createRebuildAssembler,
  createRebuildPlanner,
  createCoEngagementTotals,
  encodeCoEngagementTotals,
  decodeHeadNeighbours,
  decodeShardColumns,
  encodeHeadNeighbours,
  encodeShardColumns,
  planUserRanges,
  decodeSimilarityIndex,
  encodeSimilarityIndex,
  createNeighbourLists,
  similarList,
  planNeighbourBatches,
  type Interaction,
  type ShardSums,
  type SimilarityIndex,
  type NeighbourLists,
  type StoredRankingLists,
} from '../../worker/src/features/recommendations/engine'
import { generateSyntheticDataset } from '../../worker/scripts/lib/syntheticInteractions'
import { row, toLog } from './columnLog'
import {
  batchSearch,
  countedRanges,
  headFromShards,
  loadVersion,
  mergedIndex,
  type ReadStored,
} from './neighbourBatch'
import { comparePlanOnly, partBytes } from './planOnly'
import { createListDigests, sameIndex } from './sameOutput'
import { createUserBatches } from './userBatch'

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '500' },
    'user-batch': { type: 'string', default: '100' },
    'page-size': { type: 'string', default: '1000' },
    // Active users per planning shard (the Worker's `planShardUsers`).
    'shard-users': { type: 'string', default: '2000' },
    // Also run the one-shot planning step it replaced, and check both give the same index.
    before: { type: 'boolean', default: false },
    // Only the planning step and one cold neighbour batch (minutes less at 100k).
    'plan-only': { type: 'boolean', default: false },
    live: { type: 'boolean', default: false },
    // With --plan-only: every neighbour batch's lists against the merged index's.
    check: { type: 'boolean', default: false },
    // A SHA-256 of every `similar:` list and every feed as written (sameOutput.ts; adds the
    // hashing to the batches' CPU).
    digest: { type: 'boolean', default: false },
  },
})
const itemCount = Number(values.items)
const batchSize = Number(values.batch)
const userBatchSize = Number(values['user-batch'])
const pageSize = Number(values['page-size'])
const shardUsers = Number(values['shard-users'])

const gc = (globalThis as { gc?: () => void }).gc
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10
const seconds = (ms: number): number => Math.round(ms) / 1000
// Typed arrays live outside the JS heap, so "used" counts both.
const used = (): number => {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
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
// The peak of the current planning piece (see `piece`).
let piecePeak = baseline
// `--live`: collect garbage before each sample, so peaks are what was still reachable at
// the sampled moments (a lower bound; without it they include garbage, an upper bound).
const live = values.live === true
const sample = (): void => {
  if (live) gc?.()
  const current = used()
  peak = Math.max(peak, current)
  piecePeak = Math.max(piecePeak, current)
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

// 1. The planning step, as the Worker runs it since it was sharded: each piece is one queue
// invocation, measured on its own (CPU, and the sampled peak above what the process held
// before it, garbage included). What passes between pieces goes through bytes, as through R2.
const version = `bench-${itemCount}`
const r2Plan = new Map<string, Uint8Array | string>()
const pieces: Record<string, { cpuSeconds: number; peakMB: number }> = {}
const piece = async <T>(name: string, run: () => T | Promise<T>): Promise<T> => {
  gc?.()
  const before = used()
  piecePeak = before
  const cpu0 = process.cpuUsage()
  const out = await run()
  sample()
  const cpu = process.cpuUsage(cpu0)
  pieces[name] = {
    cpuSeconds: seconds((cpu.user + cpu.system) / 1000),
    peakMB: mb(piecePeak - before),
  }
  return out
}
// The one-shot planning step as it was before sharding (`--before`), on the same data and
// in the same process, measured before the rebuild's own clock starts.
const oneShot = values.before
  ? await piece('oneShot', () => {
      const planner = createRebuildPlanner(items, {
        now,
        version,
        trendingSize: 500,
        categoryListSize: 200,
      })
      for (let start = 0; start < interactionCount; start += pageSize) {
        const page: Interaction[] = []
        const end = Math.min(interactionCount, start + pageSize)
        for (let i = start; i < end; i++) page.push(row(log, i))
        planner.add(page)
        if (start % (pageSize * 100) === 0) sample()
      }
      const planned = planner.finish()
      const encoded = encodeSimilarityIndex(planned.index)
      JSON.stringify(planned.facts)
      sample()
      return encoded
    })
  : undefined
gc?.()
peak = used()
const wallStarted = performance.now()
const cpuStarted = process.cpuUsage()
const planCpu0 = process.cpuUsage()
const planWall0 = performance.now()

// 1a. The cron: the catalogue in D1 pages (copied, as D1 hands over fresh rows), the content
// side and the item facts, the active users cut into ranges. No interaction is read.
const ranges = await piece('catalogue', () => {
  const cataloguePlanner = createCataloguePlanner({ now, version })
  for (let start = 0; start < items.length; start += pageSize) {
    cataloguePlanner.add(structuredClone(items.slice(start, start + pageSize)))
    sample()
  }
  const plannedCatalogue = cataloguePlanner.finish()
  sample()
  r2Plan.set('content', encodeSimilarityIndex(plannedCatalogue.contentIndex))
  r2Plan.set('items', encodeItemColumns(plannedCatalogue.facts))
  const active = [...log.userIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  r2Plan.set('active', JSON.stringify(active))
  sample()
  return planUserRanges(active, shardUsers)
})

// What an invocation reading from R2 holds: a fresh copy of the bytes.
const read: ReadStored = (key) => (r2Plan.get(key) as Uint8Array).slice()
// Ranged reads of the shards' files (neighbour batches), counted.
const { readRange, counts: rangeReads } = countedRanges(
  (key) => r2Plan.get(key) as Uint8Array,
  sample,
)
const itemColumns = () => decodeItemColumns(read('items'))

// 1b. The shards, one invocation each: their users' rows (D1 reads a user range from the
// (user_id, video_id) keys, so a user's rows are contiguous there too), in pages.
const userOrder = log.userIds
  .map((_, u) => u)
  .sort((a, b) => {
    const x = log.userIds[a] ?? ''
    const y = log.userIds[b] ?? ''
    return x < y ? -1 : x > y ? 1 : 0
  })
const shardPieces: { cpuSeconds: number; peakMB: number; interactions: number }[] = []
let nextUser = 0
for (const [k, range] of ranges.entries()) {
  const users: number[] = []
  while (nextUser < userOrder.length) {
    const u = userOrder[nextUser] ?? 0
    if (range.upto !== null && (log.userIds[u] ?? '') > range.upto) break
    users.push(u)
    nextUser++
  }
  let rows = 0
  await piece(`shard${k}`, () => {
    const shard = createPlanShard(itemColumns().ids, { now })
    let page: Interaction[] = []
    for (const u of users) {
      for (let p = log.userStart[u] ?? 0; p < (log.userStart[u + 1] ?? 0); p++) {
        page.push(row(log.byUser, p))
        rows++
        if (page.length === pageSize) {
          shard.add(page)
          page = []
          if (rows % (pageSize * 20) === 0) sample()
        }
      }
    }
    if (page.length > 0) shard.add(page)
    sample()
    const out = shard.finish()
    sample()
    r2Plan.set(`columns${k}`, encodeShardColumns(out.columns, batchSize))
    r2Plan.set(`sums${k}`, JSON.stringify(out.sums))
  })
  const measured = pieces[`shard${k}`] ?? { cpuSeconds: 0, peakMB: 0 }
  delete pieces[`shard${k}`]
  shardPieces.push({ ...measured, interactions: rows })
}

// 1c. The shard that completes the count assembles facts, lists and user batches.
const assembledPlan = await piece('assemble', () => {
  const catalogueColumns = itemColumns()
  const assembler = createRebuildAssembler(catalogueColumns, {
    trendingSize: 500,
    categoryListSize: 200,
  })
  ranges.forEach((_, k) => {
    assembler.add(JSON.parse(String(r2Plan.get(`sums${k}`))) as ShardSums)
    sample()
  })
  const assembled = assembler.finish()
  sample()
  const engagementBytes = new Uint8Array(Float64Array.from(assembled.engagement.engagement).buffer)
  const listsJson = JSON.stringify(
    storedRankingLists({ ...assembled, builtAt: now, trending: assembled.engagement.trending }),
  )
  const active = JSON.parse(String(r2Plan.get('active'))) as string[]
  const batches = assembled.batchUsers(active, userBatchSize)
  sample()
  // The co-engagement totals neighbour batches need: two passes over the shards' columns.
  const totals = createCoEngagementTotals(catalogueColumns.ids.size, ranges.length)
  for (const pass of [totals.count, totals.keep]) {
    ranges.forEach((_, k) => {
      pass(k, decodeShardColumns(read(`columns${k}`)))
      sample()
    })
  }
  r2Plan.set('walk', encodeCoEngagementTotals(totals.finish()))
  sample()
  return {
    engagementBytes,
    listsJson,
    userBatches: batches,
    itemCount: catalogueColumns.ids.size,
  }
})
const planCpu = process.cpuUsage(planCpu0)
phases.plan = {
  wallSeconds: seconds(performance.now() - planWall0),
  cpuSeconds: seconds((planCpu.user + planCpu.system) / 1000),
}
// What a user batch reads: the catalogue step's item columns and the assembly's engagement
// and lists, each a fresh copy as from R2.
const loadRankingFacts = () =>
  rankingFacts(
    itemColumns(),
    new Float64Array(assembledPlan.engagementBytes.slice().buffer),
    JSON.parse(assembledPlan.listsJson) as StoredRankingLists,
  )
const factsBytes =
  (r2Plan.get('items') as Uint8Array).byteLength +
  assembledPlan.engagementBytes.byteLength +
  assembledPlan.listsJson.length
const neighbourBatches = planNeighbourBatches(assembledPlan.itemCount, batchSize)
const userNumber = new Map(log.userIds.map((id, u) => [id, u]))
const userBatches = assembledPlan.userBatches.map((batch) =>
  batch.map((id) => userNumber.get(id) ?? 0),
)
const largest = <K extends 'cpuSeconds' | 'peakMB' | 'interactions'>(key: K): number =>
  Math.max(0, ...shardPieces.map((s) => s[key]))
const planPieces = {
  catalogue: pieces.catalogue,
  shards: {
    count: shardPieces.length,
    usersPerShard: shardUsers,
    cpuSecondsTotal: seconds(shardPieces.reduce((sum, s) => sum + s.cpuSeconds, 0) * 1000),
    cpuSecondsMax: largest('cpuSeconds'),
    peakMBMax: largest('peakMB'),
    interactionsMax: largest('interactions'),
  },
  assemble: pieces.assemble,
}
// The largest planning invocation: what must fit a Worker's 128 MB.
const planPeakMB = Math.max(
  pieces.catalogue?.peakMB ?? 0,
  planPieces.shards.peakMBMax,
  pieces.assemble?.peakMB ?? 0,
)

// What the head step does first (and a neighbour batch did before it read only its rows'
// users): the content side and every shard's columns, merged.
const loadIndex = (): SimilarityIndex => mergedIndex(read, ranges.length)

// Comparison with the one-shot step (`--before`): both must give the same index.
let beforeSharding: Record<string, unknown> | undefined
if (oneShot) {
  beforeSharding = {
    ...pieces.oneShot,
    sameIndex: sameIndex(decodeSimilarityIndex(oneShot), loadIndex()),
    encodedIndexMB: mb(oneShot.byteLength),
  }
}
wallMark = performance.now()
cpuMark = process.cpuUsage()

// 1d. The head step: EASE on the most engaged videos (headModel.ts), one invocation reading
// the shards one at a time for the head videos' users; neighbour batches read its lists.
const headBytes = await piece('head', () => encodeHeadNeighbours(headFromShards(read, sample)))
const head = decodeHeadNeighbours(headBytes)
phase('head')

// `--plan-only`: the planning pieces and one cold neighbour batch beside the paths it
// replaced (planOnly.ts), without the rest of the rebuild.
const partMB = (m: Parameters<typeof partBytes>[0]): number => mb(partBytes(m))
if (values['plan-only']) {
  const { coldPart, merged, sameHead, differingLists } = await comparePlanOnly({
    read,
    readRange,
    rangeReads,
    head,
    headBytes,
    neighbourBatches,
    loadIndex,
    oneShot,
    check: values.check === true,
    piece,
    sample,
    mb,
  })
  console.log(
    JSON.stringify({
      items: itemCount,
      users: log.userIds.length,
      interactions: interactionCount,
      ...(differingLists === undefined ? {} : { differingLists }),
      plan: phases.plan,
      planPeakMB,
      planPieces,
      ...(beforeSharding ? { beforeSharding } : {}),
      head: { ...pieces.head, lists: head.size },
      coldNeighbourBatch: { ...pieces.coldNeighbourBatch, part: coldPart },
      coldNeighbourBatchMerged: { ...pieces.coldNeighbourBatchMerged, matrix: merged },
      walkMB: mb((r2Plan.get('walk') as Uint8Array).byteLength),
      headMerged: { ...pieces.headMerged, sameHead },
      ...(oneShot ? { coldNeighbourBatchOneShot: pieces.coldNeighbourBatchOneShot } : {}),
      // The shards' files, of which the cold batch read `coldNeighbourBatch.part.readMB`.
      shardFilesMB: mb(
        ranges.reduce((sum, _, k) => sum + (r2Plan.get(`columns${k}`) as Uint8Array).byteLength, 0),
      ),
    }),
  )
  process.exit(0)
}

// 2. Neighbour batches in one warm isolate: the version's content side and totals decoded
// once, each batch's part of the co-engagement matrix read from the shards. Each list goes to
// the stand-in for KV.
const warmVersion = await loadVersion(read, readRange, head)
const kv = new Map<string, string>()
const listDigests = values.digest ? createListDigests() : undefined
let similarBytes = 0
// The largest batch part: what a batch holds of the co-engagement matrix.
const largestPart = { entries: 0, users: 0, mb: 0 }
// What the batches read of the shards' files (after the heads, read once per version).
const shardFileBytes = ranges.reduce(
  (sum, _, k) => sum + (r2Plan.get(`columns${k}`) as Uint8Array).byteLength,
  0,
)
const batchReads = { readsMax: 0, mbMax: 0, bytesTotal: 0 }
for (const batch of neighbourBatches) {
  Object.assign(rangeReads, { reads: 0, bytes: 0 })
  const { search, part, users } = await batchSearch(readRange, warmVersion, batch)
  batchReads.readsMax = Math.max(batchReads.readsMax, rangeReads.reads)
  batchReads.mbMax = Math.max(batchReads.mbMax, mb(rangeReads.bytes))
  batchReads.bytesTotal += rangeReads.bytes
  const neighbours = createNeighbourLists(search)
  for (let r = batch.start; r < batch.end; r++) {
    const list = JSON.stringify(similarList(version, now, neighbours.of(r)))
    similarBytes += list.length
    listDigests?.similar(list)
    kv.set(`similar:${search.index.itemIds[r] ?? ''}`, list)
  }
  if (part.columns.length > largestPart.entries) {
    Object.assign(largestPart, { entries: part.columns.length, users, mb: partMB(part) })
  }
  sample()
}
phase('neighbourBatches')
// What the version costs an isolate once: the content side, the totals, the shards' heads.
const versionBytes =
  (r2Plan.get('content') as Uint8Array).byteLength +
  (r2Plan.get('walk') as Uint8Array).byteLength +
  warmVersion.shardHeads.reduce((sum, h) => sum + (h?.blockUsersAt ?? 0), 0)

// 3. User batches (userBatch.ts): facts parsed once per isolate, histories and seed lists
// per batch.
const userBatchRuns = createUserBatches({ log, version, now, kv, digests: listDigests })
const sources = userBatchRuns.sourcesOf(loadRankingFacts())
for (const users of userBatches) {
  userBatchRuns.rank(users, sources)
  sample()
}
phase('userBatches')
// Before the cold batches below, which rank some users again.
const digests = listDigests?.finish()

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
  // What an isolate reads once per version, and what each batch reads of the shards' files
  // (its block lists and its users' entries), beside the files' whole size.
  neighbourVersionMB: mb(versionBytes),
  neighbourBatchReads: {
    readsMax: batchReads.readsMax,
    mbMax: batchReads.mbMax,
    mbMean: mb(batchReads.bytesTotal / Math.max(1, neighbourBatches.length)),
    shardFilesMB: mb(shardFileBytes),
  },
  // The largest batch's part of the co-engagement matrix, of the whole one's entries.
  largestBatchPart: largestPart,
  planPieces,
  head: { ...pieces.head, lists: head.size, mb: mb(headBytes.byteLength) },
  ...(beforeSharding ? { beforeSharding } : {}),
  ...(digests ? { digests } : {}),
  factsMB: mb(factsBytes),
  similarListsMB: mb(similarBytes),
  ...userBatchRuns.summary(mb),
}

// One cold neighbour batch as a fresh isolate runs it in the Worker: decode the content side
// and the totals, read its rows' users from the shards, build the inverted lists and the flat
// neighbour lists, answer one slice.
const answer = (lists: NeighbourLists, batch: { start: number; end: number }): void => {
  for (let r = batch.start; r < batch.end; r++) lists.of(r)
}
gc?.()
const before = used()
const coldStart = performance.now()
const firstBatch = neighbourBatches[0] ?? { start: 0, end: 0 }
const coldVersion = await loadVersion(read, readRange, head)
const cold = await batchSearch(readRange, coldVersion, firstBatch)
answer(createNeighbourLists(cold.search), firstBatch)
const coldMs = performance.now() - coldStart
const coldBytes = used() - before
const structures =
  (r2Plan.get('content') as Uint8Array).byteLength +
  (r2Plan.get('walk') as Uint8Array).byteLength +
  // The shards' heads, kept per version.
  coldVersion.shardHeads.reduce((sum, h) => sum + (h?.blockUsersAt ?? 0), 0) +
  partMB(cold.part) * 1048576 +
  // The flat neighbour lists of the batch's rows: blocks of 256 rows, 6 bytes a neighbour.
  (Math.ceil((firstBatch.end - firstBatch.start) / 256) + 1) *
    256 *
    (cold.search.options.k * 6 + 2) +
  [cold.search.content, cold.search.coEngagement].reduce(
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
// The next slice in an isolate that already holds the version's content side and totals.
const warmStart = performance.now()
const warmBatch = neighbourBatches[1] ?? firstBatch
answer(
  createNeighbourLists((await batchSearch(readRange, warmVersion, warmBatch)).search),
  warmBatch,
)
const warmMs = performance.now() - warmStart

// One cold user batch: parse the facts, derive the ranking sources, read its lists, rank.
// It never holds the index.
gc?.()
const beforeUsers = used()
let userPeak = beforeUsers
const coldUsersStart = performance.now()
const coldFacts = loadRankingFacts()
const coldSources = userBatchRuns.sourcesOf(coldFacts)
userPeak = Math.max(userPeak, used())
userBatchRuns.rank(userBatches[0] ?? [], coldSources)
userPeak = Math.max(userPeak, used())
const coldUsersMs = performance.now() - coldUsersStart
const warmUsersStart = performance.now()
userBatchRuns.rank(userBatches[1] ?? userBatches[0] ?? [], coldSources)
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
      coldBatchPart: {
        entries: cold.part.columns.length,
        users: cold.users,
        mb: partMB(cold.part),
      },
      coldBatchSeconds: seconds(coldMs),
      warmBatchSeconds: seconds(warmMs),
      // Includes garbage not yet collected: an upper bound.
      coldUserBatchMB: mb(userPeak - beforeUsers),
      coldUserBatchSeconds: seconds(coldUsersMs),
      warmUserBatchSeconds: seconds(warmUsersMs),
    },
  }),
)
