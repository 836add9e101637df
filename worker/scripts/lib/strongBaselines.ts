// Strong collaborative baselines for the offline evaluation: EASE (Steck 2019, closed form)
// and a tuned item-kNN. They run only here, in Node, to tell whether the engine ranks as well
// as the best simple models do on real logs; nothing of them ships in the Worker.

import { fitEase, isPositive, type Interaction } from '../../src/features/recommendations/engine'

// Binary user x item data over the items at training time, plus each item's row number.
export interface ImplicitData {
  itemIds: string[]
  itemRow: Map<string, number>
  // Per user, the item rows they engaged with positively (no duplicates).
  userItems: Map<string, number[]>
  itemUsers: number[][]
}

export function implicitData(itemIds: string[], train: Interaction[]): ImplicitData {
  const itemRow = new Map(itemIds.map((id, r) => [id, r]))
  const sets = new Map<string, Set<number>>()
  for (const i of train) {
    const r = itemRow.get(i.itemId)
    if (r === undefined || !isPositive(i)) continue
    const set = sets.get(i.userId) ?? new Set<number>()
    set.add(r)
    sets.set(i.userId, set)
  }
  const userItems = new Map([...sets].map(([u, s]) => [u, [...s].sort((a, b) => a - b)]))
  const itemUsers: number[][] = itemIds.map(() => [])
  let u = 0
  for (const rows of userItems.values()) {
    for (const r of rows) itemUsers[r]?.push(u)
    u++
  }
  return { itemIds, itemRow, userItems, itemUsers }
}

export type ScoreUser = (history: Interaction[]) => Map<number, number>

// Top-k unseen item ids from a dense or sparse score map.
export function topUnseen(
  data: ImplicitData,
  scores: Map<number, number>,
  history: Interaction[],
  k: number,
): string[] {
  const seen = new Set(history.map((h) => h.itemId))
  return [...scores.entries()]
    .filter(([r]) => !seen.has(data.itemIds[r] ?? ''))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([r]) => data.itemIds[r] ?? '')
}

export interface EaseOptions {
  lambda: number
  // Items with fewer positive users are left out of the dense model (cost is cubic); they
  // are rarely anybody's test items, and the issue allows dense EASE up to ~10k items.
  minUsers: number
  maxItems: number
}

export function trainEase(data: ImplicitData, options: EaseOptions): ScoreUser {
  const head = data.itemUsers
    .map((users, r) => ({ r, n: users.length }))
    .filter((e) => e.n >= options.minUsers)
    .sort((a, b) => b.n - a.n || a.r - b.r)
    .slice(0, options.maxItems)
    .map((e) => e.r)
  const n = head.length
  const col = new Map(head.map((r, c) => [r, c]))
  const g = new Float64Array(n * n)
  for (const rows of data.userItems.values()) {
    const cs = rows.map((r) => col.get(r)).filter((c): c is number => c !== undefined)
    for (const a of cs) {
      const base = a * n
      for (const b of cs) g[base + b] = (g[base + b] ?? 0) + 1
    }
  }
  // B in place, diagonal zero; score(u) = x_u B.
  fitEase(g, n, options.lambda)
  return (history) => {
    const dense = new Float64Array(n)
    const used = new Set<number>()
    for (const h of history) {
      if (!isPositive(h)) continue
      const c = col.get(data.itemRow.get(h.itemId) ?? -1)
      if (c === undefined || used.has(c)) continue
      used.add(c)
      const base = c * n
      for (let j = 0; j < n; j++) dense[j] = (dense[j] ?? 0) + (g[base + j] ?? 0)
    }
    const scores = new Map<number, number>()
    for (let j = 0; j < n; j++) scores.set(head[j] ?? 0, dense[j] ?? 0)
    return scores
  }
}

export interface ItemKnnOptions {
  neighbours: number
  shrinkage: number
  // Similarity exponent: > 1 sharpens the weight of the closest neighbours.
  power: number
  halfLife?: number
}

// Cosine item-kNN on binary data with shrinkage, each item keeping its top neighbours.
export function trainItemKnn(data: ImplicitData, options: ItemKnnOptions): ScoreUser {
  const users = [...data.userItems.values()]
  const count = data.itemIds.length
  const lists: Array<Array<[number, number]>> = []
  const overlap = new Float64Array(count)
  const touched: number[] = []
  for (let i = 0; i < count; i++) {
    const ni = data.itemUsers[i]?.length ?? 0
    for (const u of data.itemUsers[i] ?? []) {
      for (const j of users[u] ?? []) {
        if (j === i) continue
        if (overlap[j] === 0) touched.push(j)
        overlap[j] = (overlap[j] ?? 0) + 1
      }
    }
    const scored: Array<[number, number]> = []
    for (const j of touched) {
      const shared = overlap[j] ?? 0
      const nj = data.itemUsers[j]?.length ?? 0
      const cosine = shared / (Math.sqrt(ni * nj) + options.shrinkage)
      scored.push([j, Math.pow(cosine, options.power)])
      overlap[j] = 0
    }
    touched.length = 0
    scored.sort((a, b) => b[1] - a[1] || a[0] - b[0])
    lists.push(scored.slice(0, options.neighbours))
  }
  return (history) => scoreFromLists(data, lists, history, options.halfLife ?? 0)
}

// Scores from per-item neighbour lists; history weighted by recency rank when halfLife > 0.
export function scoreFromLists(
  data: ImplicitData,
  lists: Array<Array<[number, number]>>,
  history: Interaction[],
  halfLife = 0,
): Map<number, number> {
  const scores = new Map<number, number>()
  const positives = history.filter((h) => isPositive(h)).sort((a, b) => b.at - a.at)
  positives.forEach((h, position) => {
    const r = data.itemRow.get(h.itemId)
    if (r === undefined) return
    const w = halfLife > 0 ? Math.pow(0.5, position / halfLife) : 1
    for (const [j, s] of lists[r] ?? []) scores.set(j, (scores.get(j) ?? 0) + w * s)
  })
  return scores
}

export interface Rp3betaOptions {
  neighbours: number
  // Transition probabilities raised to alpha; popularity of the target divided out by beta.
  alpha: number
  beta: number
  halfLife?: number
  normalise?: boolean
}

// RP3beta (Paudel et al. 2017): a three-step random walk item -> user -> item, with the
// target item's popularity damped by beta. Sparse, so it scales like item-kNN.
export function trainRp3beta(data: ImplicitData, options: Rp3betaOptions): ScoreUser {
  const users = [...data.userItems.values()]
  const count = data.itemIds.length
  const lists: Array<Array<[number, number]>> = []
  const acc = new Float64Array(count)
  const touched: number[] = []
  for (let i = 0; i < count; i++) {
    const ni = data.itemUsers[i]?.length ?? 0
    if (ni === 0) {
      lists.push([])
      continue
    }
    const fromItem = Math.pow(1 / ni, options.alpha)
    for (const u of data.itemUsers[i] ?? []) {
      const row = users[u] ?? []
      const toItem = Math.pow(1 / row.length, options.alpha)
      for (const j of row) {
        if (j === i) continue
        if (acc[j] === 0) touched.push(j)
        acc[j] = (acc[j] ?? 0) + fromItem * toItem
      }
    }
    const scored: Array<[number, number]> = []
    for (const j of touched) {
      const nj = data.itemUsers[j]?.length ?? 1
      scored.push([j, (acc[j] ?? 0) / Math.pow(nj, options.beta)])
      acc[j] = 0
    }
    touched.length = 0
    scored.sort((a, b) => b[1] - a[1] || a[0] - b[0])
    const top = scored.slice(0, options.neighbours)
    const max = options.normalise ? (top[0]?.[1] ?? 1) : 1
    lists.push(top.map(([j, v]) => [j, v / max]))
  }
  return (history) => scoreFromLists(data, lists, history, options.halfLife ?? 0)
}
