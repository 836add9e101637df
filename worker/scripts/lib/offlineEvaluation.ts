// Offline evaluation: our engine (through the production ranking code) against three
// baselines on a temporal train/test split.

import {
  implicitData,
  topUnseen,
  trainEase,
  trainItemKnn,
  type EaseOptions,
  type ItemKnnOptions,
} from './strongBaselines'
import { splitPerUserByTime } from './logSplit'
import {
  buildContentModel,
  createRng,
  groupByUser,
  isPositive,
  prepareRowSearch,
  rankForUser,
  rankingSourcesFromModel,
  rebuildRecommendations,
  similarRows,
  buildSparseMatrix,
  normaliseRows,
  type CatalogueItem,
  type CoEngagementOptions,
  type Interaction,
  type NeighbourOptions,
  type RankingOptions,
} from '../../src/features/recommendations/engine'

export interface EngineSettings {
  neighbours: Partial<NeighbourOptions>
  ranking: Partial<Omit<RankingOptions, 'now'>>
  coEngagement?: Partial<Omit<CoEngagementOptions, 'now'>>
}

// The engine exactly as the Worker runs it: the code defaults, chosen on the validation split
// of a real log (bench/recs/README.md).
export const defaultEngineSettings: EngineSettings = { neighbours: {}, ranking: {} }

export interface Metrics {
  ndcg: number
  recall: number
  coverage: number
  novelty: number
  users: number
  // Per evaluated user, in the same order for every recommender (for paired comparisons);
  // not printed.
  perUserNdcg?: number[]
}

type Recommender = (userId: string, history: Interaction[], k: number) => string[]

interface Split {
  items: CatalogueItem[]
  train: Interaction[]
  now: number
  trainByUser: Map<string, Interaction[]>
  // Test users with a train history, mapped to the items they engaged with positively.
  relevant: Map<string, Set<string>>
}

export function prepareSplit(
  items: CatalogueItem[],
  train: Interaction[],
  test: Interaction[],
): Split {
  const now = train.reduce((max, i) => Math.max(max, i.at), 0)
  // Items that did not exist when the model was trained cannot be recommended.
  const available = items.filter((i) => i.published !== false && i.createdAt <= now)
  const trainByUser = groupByUser(train)
  const relevant = new Map<string, Set<string>>()
  for (const i of test) {
    if (!isPositive(i)) continue
    const history = trainByUser.get(i.userId)
    if (!history || history.some((h) => h.itemId === i.itemId)) continue
    const set = relevant.get(i.userId) ?? new Set<string>()
    set.add(i.itemId)
    relevant.set(i.userId, set)
  }
  return { items: available, train, now, trainByUser, relevant }
}

export function evaluate(split: Split, recommend: Recommender, k: number): Metrics {
  const popularity = new Map<string, Set<string>>()
  for (const i of split.train) {
    const users = popularity.get(i.itemId) ?? new Set<string>()
    users.add(i.userId)
    popularity.set(i.itemId, users)
  }
  const userCount = split.trainByUser.size
  let ndcg = 0
  let recall = 0
  let noveltySum = 0
  let recommendedCount = 0
  const covered = new Set<string>()
  const perUserNdcg: number[] = []
  for (const [userId, relevant] of split.relevant) {
    const recs = recommend(userId, split.trainByUser.get(userId) ?? [], k).slice(0, k)
    let dcg = 0
    let hits = 0
    recs.forEach((itemId, rank) => {
      covered.add(itemId)
      noveltySum += -Math.log2(((popularity.get(itemId)?.size ?? 0) + 1) / (userCount + 1))
      recommendedCount++
      if (relevant.has(itemId)) {
        dcg += 1 / Math.log2(rank + 2)
        hits++
      }
    })
    let ideal = 0
    for (let r = 0; r < Math.min(k, relevant.size); r++) ideal += 1 / Math.log2(r + 2)
    perUserNdcg.push(ideal > 0 ? dcg / ideal : 0)
    ndcg += ideal > 0 ? dcg / ideal : 0
    recall += hits / relevant.size
  }
  const users = split.relevant.size
  return {
    ndcg: round(users > 0 ? ndcg / users : 0),
    recall: round(users > 0 ? recall / users : 0),
    coverage: round(split.items.length > 0 ? covered.size / split.items.length : 0),
    novelty: round(recommendedCount > 0 ? noveltySum / recommendedCount : 0),
    users,
    perUserNdcg,
  }
}

// Mean per-user NDCG difference (a - b) with a 95% paired bootstrap interval: on a few
// hundred users, is the gap more than noise?
export function pairedNdcgDifference(
  a: number[],
  b: number[],
  resamples = 2000,
): { difference: number; ci95: [number, number] } {
  const diffs = a.map((v, i) => v - (b[i] ?? 0))
  const mean = (xs: ArrayLike<number>): number => {
    let sum = 0
    for (let i = 0; i < xs.length; i++) sum += xs[i] ?? 0
    return xs.length > 0 ? sum / xs.length : 0
  }
  const rng = createRng(12345)
  const means: number[] = []
  const sample = new Float64Array(diffs.length)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < diffs.length; i++) {
      sample[i] = diffs[Math.floor(rng() * diffs.length)] ?? 0
    }
    means.push(mean(sample))
  }
  means.sort((x, y) => x - y)
  const at = (q: number): number => round(means[Math.floor(q * (means.length - 1))] ?? 0)
  return { difference: round(mean(diffs)), ci95: [at(0.025), at(0.975)] }
}

const round = (v: number): number => Math.round(v * 10000) / 10000

// Same calls as the nightly rebuild and the per-user ranking batch.
export function engineRecommender(split: Split, settings: EngineSettings): Recommender {
  const model = rebuildRecommendations(split.items, split.train, {
    now: split.now,
    neighbours: settings.neighbours,
    coEngagement: settings.coEngagement ?? {},
  })
  const sources = rankingSourcesFromModel(model)
  return (userId, history, k) =>
    rankForUser(
      sources,
      { userId, history, preferences: model.preferences.get(userId) },
      { ...settings.ranking, now: split.now, limit: k },
    ).map((s) => s.itemId)
}

function unseen(history: Interaction[]): (itemId: string) => boolean {
  const seen = new Set(history.map((h) => h.itemId))
  return (itemId) => !seen.has(itemId)
}

export function popularityRecommender(split: Split): Recommender {
  const counts = new Map<string, number>()
  for (const i of split.train)
    if (isPositive(i)) counts.set(i.itemId, (counts.get(i.itemId) ?? 0) + 1)
  const ranked = split.items
    .map((item) => item.id)
    .sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1))
  return (_userId, history, k) => ranked.filter(unseen(history)).slice(0, k)
}

// The seed as written: TF-IDF over category text, cosine with the user's categories, plus
// min-max engagement (likes + 2 comments + 0.5 views, no decay), 0.7 / 0.3.
export function seedFormulaRecommender(split: Split): Recommender {
  const categoryOnly = split.items.map((item) => ({
    ...item,
    parentCategories: [],
    tags: [],
    labels: [],
  }))
  const content = buildContentModel(categoryOnly)
  const rowOf = new Map(content.itemIds.map((id, r) => [id, r]))
  const views = new Map<string, number>()
  for (const i of split.train) views.set(i.itemId, (views.get(i.itemId) ?? 0) + 0.5)
  const values = split.items.map((item) => views.get(item.id) ?? 0)
  const min = Math.min(...values)
  const max = Math.max(...values)
  const engagement = values.map((v) => (max > min ? (v - min) / (max - min) : 0))
  const m = content.matrix
  return (_userId, history, k) => {
    const profile = new Map<number, number>()
    for (const h of history) {
      const r = rowOf.get(h.itemId)
      if (r === undefined) continue
      for (let p = m.rowStart[r] ?? 0; p < (m.rowStart[r + 1] ?? 0); p++) {
        const c = m.columns[p] ?? 0
        profile.set(c, (profile.get(c) ?? 0) + (m.values[p] ?? 0))
      }
    }
    const norm = Math.sqrt([...profile.values()].reduce((s, v) => s + v * v, 0)) || 1
    const isUnseen = unseen(history)
    const scored: Array<{ id: string; score: number }> = []
    content.itemIds.forEach((id, r) => {
      if (!isUnseen(id)) return
      let dot = 0
      for (let p = m.rowStart[r] ?? 0; p < (m.rowStart[r + 1] ?? 0); p++) {
        dot += (m.values[p] ?? 0) * (profile.get(m.columns[p] ?? 0) ?? 0)
      }
      scored.push({ id, score: 0.7 * (dot / norm) + 0.3 * (engagement[r] ?? 0) })
    })
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    return scored.slice(0, k).map((s) => s.id)
  }
}

// Plain item-kNN: binary positive interactions, cosine, 50 neighbours, sum of similarities.
export function itemKnnRecommender(split: Split): Recommender {
  const itemRow = new Map(split.items.map((item, r) => [item.id, r]))
  const userColumn = new Map<string, number>()
  const rows: number[] = []
  const columns: number[] = []
  for (const i of split.train) {
    const r = itemRow.get(i.itemId)
    if (r === undefined || !isPositive(i)) continue
    let c = userColumn.get(i.userId)
    if (c === undefined) {
      c = userColumn.size
      userColumn.set(i.userId, c)
    }
    rows.push(r)
    columns.push(c)
  }
  const matrix = buildSparseMatrix(
    split.items.length,
    userColumn.size,
    rows,
    columns,
    rows.map(() => 1),
  )
  for (let i = 0; i < matrix.values.length; i++) matrix.values[i] = 1
  const search = prepareRowSearch(normaliseRows(matrix), {
    k: 50,
    maxPostingLength: Number.MAX_SAFE_INTEGER,
    maxDocumentFrequency: 1,
  })
  const neighbours = new Map<number, Array<{ index: number; score: number }>>()
  return (_userId, history, k) => {
    const scores = new Map<number, number>()
    const isUnseen = unseen(history)
    for (const h of history) {
      const r = itemRow.get(h.itemId)
      if (r === undefined || !isPositive(h)) continue
      let list = neighbours.get(r)
      if (!list) {
        list = similarRows(search, r)
        neighbours.set(r, list)
      }
      for (const n of list) scores.set(n.index, (scores.get(n.index) ?? 0) + n.score)
    }
    return [...scores.entries()]
      .map(([r, score]) => ({ id: split.items[r]?.id ?? '', score }))
      .filter((s) => isUnseen(s.id))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .slice(0, k)
      .map((s) => s.id)
  }
}

function scoreRecommender(
  split: Split,
  train: (data: ReturnType<typeof implicitData>) => (history: Interaction[]) => Map<number, number>,
): Recommender {
  const data = implicitData(
    split.items.map((item) => item.id),
    split.train,
  )
  const score = train(data)
  return (_userId, history, k) => topUnseen(data, score(history), history, k)
}

export function easeRecommender(split: Split, options: EaseOptions): Recommender {
  return scoreRecommender(split, (data) => trainEase(data, options))
}

export function tunedItemKnnRecommender(split: Split, options: ItemKnnOptions): Recommender {
  return scoreRecommender(split, (data) => trainItemKnn(data, options))
}

export interface BaselineSettings {
  ease: EaseOptions
  itemKnn: ItemKnnOptions
}

// EASE is dense and cubic: its head is capped so a run stays in minutes on 2 cores.
export const EASE_HEAD = { minUsers: 3, maxItems: 2500 }
const EASE_LAMBDAS = [50, 200, 800]
const KNN_GRID: ItemKnnOptions[] = [20, 50, 100, 200].flatMap((neighbours) =>
  [0, 20].flatMap((shrinkage) => [1, 2].map((power) => ({ neighbours, shrinkage, power }))),
)

export type Progress = (line: string) => void

// A validation split cut from train the way test is cut from the log: each user's last
// share of train interactions by time. Everything chosen here never sees test.
export function validationSplit(items: CatalogueItem[], train: Interaction[], share = 0.2): Split {
  const carved = splitPerUserByTime(train, share)
  return prepareSplit(items, carved.train, carved.test)
}

export function tuneBaselines(
  validation: Split,
  k: number,
  options: { ease: boolean },
  progress: Progress = () => {},
): BaselineSettings {
  let bestKnn = { ndcg: -1, settings: KNN_GRID[0] ?? { neighbours: 50, shrinkage: 0, power: 1 } }
  for (const settings of KNN_GRID) {
    const { ndcg } = evaluate(validation, tunedItemKnnRecommender(validation, settings), k)
    if (ndcg > bestKnn.ndcg) bestKnn = { ndcg, settings }
  }
  progress(`item-kNN tuned on validation: ${JSON.stringify(bestKnn)}`)
  let bestEase = { ndcg: -1, settings: { ...EASE_HEAD, lambda: 200 } }
  if (options.ease) {
    for (const lambda of EASE_LAMBDAS) {
      const settings = { ...EASE_HEAD, lambda }
      const { ndcg } = evaluate(validation, easeRecommender(validation, settings), k)
      progress(`EASE lambda ${lambda} on validation: NDCG ${ndcg}`)
      if (ndcg > bestEase.ndcg) bestEase = { ndcg, settings }
    }
  }
  return { ease: bestEase.settings, itemKnn: bestKnn.settings }
}

export interface ComparisonResult {
  k: number
  engines: Record<string, Metrics & { settings: EngineSettings }>
  baselines: Record<string, Metrics & { settings?: unknown }>
  // The first engine against each baseline, paired per user.
  firstEngineVsBaselines: Record<string, ReturnType<typeof pairedNdcgDifference>>
}

export function compareRecommenders(
  items: CatalogueItem[],
  train: Interaction[],
  test: Interaction[],
  k: number,
  engines: Record<string, EngineSettings> = { engine: defaultEngineSettings },
  baselineSettings?: Partial<BaselineSettings>,
  progress: Progress = () => {},
): ComparisonResult {
  const split = prepareSplit(items, train, test)
  const engineMetrics: ComparisonResult['engines'] = {}
  for (const [name, settings] of Object.entries(engines)) {
    engineMetrics[name] = { ...evaluate(split, engineRecommender(split, settings), k), settings }
    progress(`${name}: NDCG ${engineMetrics[name]?.ndcg}`)
  }
  const baselines: ComparisonResult['baselines'] = {
    popularity: evaluate(split, popularityRecommender(split), k),
    seedFormula: evaluate(split, seedFormulaRecommender(split), k),
    itemKnn: evaluate(split, itemKnnRecommender(split), k),
  }
  if (baselineSettings?.itemKnn) {
    const settings = baselineSettings.itemKnn
    baselines.itemKnnTuned = {
      ...evaluate(split, tunedItemKnnRecommender(split, settings), k),
      settings,
    }
  }
  if (baselineSettings?.ease) {
    const settings = baselineSettings.ease
    baselines.ease = { ...evaluate(split, easeRecommender(split, settings), k), settings }
  }
  progress('baselines done')
  const first = Object.values(engineMetrics)[0]?.perUserNdcg ?? []
  const firstEngineVsBaselines = Object.fromEntries(
    Object.entries(baselines).map(([name, m]) => [
      name,
      pairedNdcgDifference(first, m.perUserNdcg ?? []),
    ]),
  )
  const printable = <T extends Metrics>(m: T): T => ({ ...m, perUserNdcg: undefined })
  return {
    k,
    engines: Object.fromEntries(
      Object.entries(engineMetrics).map(([name, m]) => [name, printable(m)]),
    ),
    baselines: Object.fromEntries(
      Object.entries(baselines).map(([name, m]) => [name, printable(m)]),
    ),
    firstEngineVsBaselines,
  }
}

// The engine's grid, searched on the validation split; the winner is then judged on test.
export function tuneEngine(
  validation: Split,
  k: number,
  progress: Progress = () => {},
): { best: EngineSettings; grid: Array<{ settings: EngineSettings; ndcg: number }> } {
  const grid: Array<{ settings: EngineSettings; ndcg: number }> = []
  for (const popularityDamping of [0.2, 0.3, 0.4]) {
    for (const k2 of [50, 100]) {
      const neighbours = { popularityDamping, k: k2 }
      const model = rebuildRecommendations(validation.items, validation.train, {
        now: validation.now,
        neighbours,
      })
      const sources = rankingSourcesFromModel(model)
      for (const seedRecencyHalfLife of [0, 5, 20]) {
        for (const engagement of [0, 0.1]) {
          const settings: EngineSettings = {
            neighbours,
            ranking: { seedRecencyHalfLife, weights: { similarity: 1 - engagement, engagement } },
          }
          const recommend: Recommender = (userId, history, kk) =>
            rankForUser(
              sources,
              { userId, history, preferences: model.preferences.get(userId) },
              { ...settings.ranking, now: validation.now, limit: kk },
            ).map((s) => s.itemId)
          const { ndcg } = evaluate(validation, recommend, k)
          grid.push({ settings, ndcg })
          progress(`engine ${JSON.stringify(settings)}: NDCG ${ndcg}`)
        }
      }
    }
  }
  const best = [...grid].sort((a, b) => b.ndcg - a.ndcg)[0]?.settings ?? defaultEngineSettings
  return { best, grid }
}
