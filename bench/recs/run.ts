// Recommendation rebuild benchmark and offline metrics, printed as JSON:
//   nice node --expose-gc --import tsx bench/recs/run.ts [--scales 10000,50000,100000] [--batch 500]

import { parseArgs } from 'node:util'
import {
  analysePreferences,
  assembleFeedPage,
  createFeedState,
  createRng,
  recordFeedEvent,
  buildCategoryLists,
  buildSimilarityIndex,
  buildTrending,
  decodeSimilarityIndex,
  encodeSimilarityIndex,
  engagementRecordsFromInteractions,
  findNeighbours,
  groupByUser,
  planNeighbourBatches,
  prepareNeighbourSearch,
  rankForUser,
  rankingSourcesFromModel,
  scoreEngagement,
  type RecommendationModel,
  type ScoredItem,
} from '../../worker/src/features/recommendations/engine'
import {
  compareRecommenders,
  defaultEngineSettings,
  tunedEngineSettings,
  tuneEngine,
} from '../../worker/scripts/lib/offlineEvaluation'
import { generateSyntheticDataset } from '../../worker/scripts/lib/syntheticInteractions'

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '10000,50000,100000' },
    batch: { type: 'string', default: '500' },
    metrics: { type: 'boolean', default: true },
    'no-metrics': { type: 'boolean', default: false },
  },
})

const gc = (globalThis as { gc?: () => void }).gc
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10
const seconds = (ms: number): number => Math.round(ms) / 1000

// Typed arrays live outside the JS heap, so "used" counts both.
function used(): number {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

let peak = 0
function sample(): void {
  peak = Math.max(peak, used())
}

function rebuildAtScale(items: number, users: number, interactions: number, batchSize: number) {
  const data = generateSyntheticDataset({ seed: 1, items, users, interactions, testDays: 0 })
  const now = data.cutoff
  gc?.()
  const baseline = used()
  peak = baseline
  const phases: Record<string, number> = {}
  const started = performance.now()
  // CPU time as well as wall time: the machine is shared, and wall time swings with load.
  const cpuStarted = process.cpuUsage()
  let t = started
  const phase = (name: string): void => {
    sample()
    const n = performance.now()
    phases[name] = seconds(n - t)
    t = n
  }

  // Cron: build and store the shared index, plan batches.
  const index = buildSimilarityIndex(data.items, data.train, { now })
  const encoded = encodeSimilarityIndex(index)
  const batches = planNeighbourBatches(index.itemIds.length, batchSize)
  phase('indexAndPlan')
  // Queue consumers: a warm isolate keeps the decoded index for the version it serves.
  const search = prepareNeighbourSearch(decodeSimilarityIndex(encoded))
  // Stand-in for the KV lists the batches write: compact, so the in-process bench does not
  // measure the garbage collector walking millions of small objects.
  const rowOf = new Map(index.itemIds.map((id, i) => [id, i]))
  const stored = new Map<string, { rows: Int32Array; scores: Float32Array }>()
  for (const batch of batches) {
    for (const r of findNeighbours(search, batch)) {
      stored.set(r.itemId, {
        rows: Int32Array.from(r.neighbours, (n) => rowOf.get(n.itemId) ?? 0),
        scores: Float32Array.from(r.neighbours, (n) => n.score),
      })
    }
    sample()
  }
  phase('neighbourBatches')
  const engagement = scoreEngagement(index.itemIds, engagementRecordsFromInteractions(data.train), {
    now,
  })
  const facts = new Map(
    data.items.map((i) => [
      i.id,
      { categories: i.categories, parentCategories: i.parentCategories, createdAt: i.createdAt },
    ]),
  )
  const model: RecommendationModel = {
    version: index.version,
    builtAt: now,
    items: facts,
    neighbours: new Map(),
    engagement: engagement.normalised,
    trending: buildTrending(data.items, engagement.normalised, 500),
    categoryLists: buildCategoryLists(data.items, engagement.normalised, 'categories', 200),
    parentCategoryLists: buildCategoryLists(
      data.items,
      engagement.normalised,
      'parentCategories',
      200,
    ),
    preferences: analysePreferences(data.train, (id) => facts.get(id)?.categories, { now }),
  }
  phase('engagementPreferencesLists')
  const sources = {
    ...rankingSourcesFromModel(model),
    neighbours: (id: string): ScoredItem[] | undefined => {
      const s = stored.get(id)
      if (!s) return undefined
      return Array.from(s.rows, (row, i) => ({
        itemId: index.itemIds[row] ?? '',
        score: s.scores[i] ?? 0,
      }))
    },
  }
  let listed = 0
  for (const [userId, history] of groupByUser(data.train)) {
    const ranked = rankForUser(
      sources,
      { userId, history, preferences: model.preferences.get(userId) },
      { now },
    )
    listed += ranked.length > 0 ? 1 : 0
  }
  phase('userLists')
  const total = seconds(performance.now() - started)
  const cpu = process.cpuUsage(cpuStarted)
  const cpuSeconds = seconds((cpu.user + cpu.system) / 1000)
  const peakAboveBaseline = mb(peak - baseline)

  // One cold batch in isolation: decode + inverted lists + one slice, as a fresh isolate.
  gc?.()
  const before = used()
  const coldStart = performance.now()
  const cold = prepareNeighbourSearch(decodeSimilarityIndex(encoded))
  const firstBatch = batches[0] ?? { start: 0, end: 0 }
  const result = findNeighbours(cold, firstBatch)
  const coldMs = performance.now() - coldStart
  const batchMemory = used() - before
  const structures =
    encoded.byteLength +
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
  const warmStart = performance.now()
  findNeighbours(search, batches[1] ?? firstBatch)
  const warmMs = performance.now() - warmStart

  return {
    items,
    users,
    interactions: data.train.length,
    usersListed: listed,
    rebuildSeconds: total,
    rebuildCpuSeconds: cpuSeconds,
    phases,
    peakMemoryMB: peakAboveBaseline,
    rssMB: mb(process.memoryUsage().rss),
    encodedIndexMB: mb(encoded.byteLength),
    batch: {
      size: batchSize,
      count: batches.length,
      coldBatchMB: mb(batchMemory),
      coldBatchStructuresMB: mb(structures),
      coldBatchSeconds: seconds(coldMs),
      warmBatchSeconds: seconds(warmMs),
      neighboursInFirstBatch: result.reduce((s, r) => s + r.neighbours.length, 0),
    },
  }
}

const scales = values.scales.split(',').map(Number)
const batchSize = Number(values.batch)
const rebuilds: Array<ReturnType<typeof rebuildAtScale>> = []
for (const items of scales) {
  rebuilds.push(rebuildAtScale(items, items / 5, items * 20, batchSize))
  process.stderr.write(`scale ${items} done\n`)
}
// Time growth normalised to one doubling of data, between consecutive scales.
const growth = rebuilds.slice(1).map((r, i) => {
  const previous = rebuilds[i]
  if (!previous) return undefined
  const doublings = Math.log2(r.items / previous.items)
  return {
    from: previous.items,
    to: r.items,
    timeRatioPerDoubling:
      Math.round(Math.pow(r.rebuildSeconds / previous.rebuildSeconds, 1 / doublings) * 100) / 100,
    cpuTimeRatioPerDoubling:
      Math.round(Math.pow(r.rebuildCpuSeconds / previous.rebuildCpuSeconds, 1 / doublings) * 100) /
      100,
    memoryRatioPerDoubling:
      Math.round(Math.pow(r.peakMemoryMB / previous.peakMemoryMB, 1 / doublings) * 100) / 100,
  }
})

// The Durable Object's per-request work: assemble a page and record its outcomes.
function benchFeedPages(pages: number) {
  const exploit = Array.from({ length: 100 }, (_, i) => ({ itemId: `x${i}`, score: 1 - i / 100 }))
  const exploration = Array.from({ length: 500 }, (_, i) => `n${i}`)
  const categoriesOf = (id: string): string[] => [`c${id.length % 7}`]
  const rng = createRng(1)
  let state = createFeedState(0)
  const latencies: number[] = []
  for (let p = 0; p < pages; p++) {
    const started = performance.now()
    // Fresh ids per page stand in for the list refreshing as the user scrolls.
    const page = assembleFeedPage(
      state,
      {
        exploit: exploit.map((e) => ({ ...e, itemId: `${e.itemId}-${p >> 3}` })),
        exploration,
        categoriesOf,
      },
      rng,
      p * 1000,
    )
    state = page.state
    for (const item of page.items) {
      state = recordFeedEvent(state, {
        itemId: item.itemId,
        outcome: rng() < 0.5 ? { kind: 'watch', watchFraction: 0.7 } : { kind: 'skip' },
        categories: categoriesOf(item.itemId),
        at: p * 1000,
      })
    }
    latencies.push(performance.now() - started)
  }
  latencies.sort((a, b) => a - b)
  const total = latencies.reduce((a, b) => a + b, 0)
  const at = (q: number): number =>
    Math.round((latencies[Math.floor(q * (latencies.length - 1))] ?? 0) * 1000) / 1000
  return {
    pages,
    pagesPerSecond: Math.round((pages / total) * 1000),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    servedSetSize: state.served.length,
    stateBytes: JSON.stringify(state).length,
  }
}
const feedPage = benchFeedPages(5000)

let offline: unknown = undefined
if (!values['no-metrics']) {
  // Tune on one generated world, report on two others nobody tuned on.
  const tuningData = generateSyntheticDataset({ seed: 101 })
  const tuned = tuneEngine(tuningData.items, tuningData.train, 10).best
  offline = {
    tunedOnSeed: 101,
    tuned,
    results: [7, 8].map((seed) => {
      const d = generateSyntheticDataset({ seed })
      const r = compareRecommenders(d.items, d.train, d.test, 10, {
        tunedOnSeed101: tuned,
        chosen: tunedEngineSettings,
        codeDefaults: defaultEngineSettings,
      })
      return { seed, ...r }
    }),
  }
}

console.log(
  JSON.stringify({ gcExposed: gc !== undefined, rebuilds, growth, feedPage, offline }, null, 2),
)
