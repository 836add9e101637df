// Synthetic users with hidden category tastes, for tuning, tests and the bench. Users
// prefer a few parent categories and, within them, some children; they lean towards fresh
// and good videos; watch fraction reveals whether a video matched their taste.

import {
  createRng,
  DAY_MS,
  sampleGamma,
  type CatalogueItem,
  type Interaction,
  type Rng,
} from '../../src/features/recommendations/engine'

export interface SyntheticOptions {
  seed: number
  items: number
  users: number
  interactions: number
  days: number
  // The last `testDays` form the test period; every item exists before it starts.
  testDays: number
  parents: number
  childrenPerParent: number
  // Hidden item styles (a creator's format, a meme) that no tag or category reveals; only
  // co-engagement can learn them, as on a real platform. 0 disables them.
  latentStyles: number
  start: number
}

export const defaultSyntheticOptions: SyntheticOptions = {
  seed: 7,
  items: 5000,
  users: 1000,
  interactions: 60000,
  days: 60,
  testDays: 7,
  parents: 8,
  childrenPerParent: 4,
  latentStyles: 16,
  start: Date.UTC(2026, 0, 1),
}

export interface SyntheticDataset {
  items: CatalogueItem[]
  train: Interaction[]
  test: Interaction[]
  cutoff: number
}

function dirichlet(rng: Rng, n: number, concentration: number): number[] {
  const raw = Array.from({ length: n }, () => sampleGamma(rng, concentration))
  const sum = raw.reduce((a, b) => a + b, 0)
  return raw.map((v) => v / sum)
}

function pickWeighted(rng: Rng, weights: number[]): number {
  let target = rng() * weights.reduce((a, b) => a + b, 0)
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i] ?? 0
    if (target < 0) return i
  }
  return weights.length - 1
}

export function generateSyntheticDataset(
  options: Partial<SyntheticOptions> = {},
): SyntheticDataset {
  const o = { ...defaultSyntheticOptions, ...options }
  const rng = createRng(o.seed)
  const end = o.start + o.days * DAY_MS
  const cutoff = end - o.testDays * DAY_MS
  const categoryCount = o.parents * o.childrenPerParent
  const categoryName = (c: number): string => `p${Math.floor(c / o.childrenPerParent)}/c${c}`
  const globalTags = Array.from({ length: 60 }, (_, i) => `g${i}`)

  // Items: per category, sorted by creation time, with a latent quality.
  const byCategory: number[][] = Array.from({ length: categoryCount }, () => [])
  const created: number[] = []
  const quality: number[] = []
  const style: number[] = []
  const items: CatalogueItem[] = []
  const categoryPopularity = dirichlet(rng, categoryCount, 2)
  for (let i = 0; i < o.items; i++) {
    const c = pickWeighted(rng, categoryPopularity)
    const at = o.start + Math.floor(rng() * (cutoff - o.start))
    const tags = new Set<string>()
    while (tags.size < 2) tags.add(`c${c}t${Math.floor(rng() * 12)}`)
    tags.add(globalTags[Math.floor(rng() * globalTags.length)] ?? 'g0')
    items.push({
      id: `v${i}`,
      categories: [categoryName(c)],
      parentCategories: [`p${Math.floor(c / o.childrenPerParent)}`],
      tags: [...tags],
      labels: [rng() < 0.05 ? 'V' : 'OK'],
      createdAt: at,
      published: true,
    })
    created.push(at)
    style.push(Math.floor(rng() * Math.max(1, o.latentStyles)))
    quality.push(
      Math.min(3, Math.exp(0.6 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(6.283 * rng()))),
    )
  }
  for (let i = 0; i < o.items; i++) {
    const c = Number((items[i]?.categories[0] ?? 'c0').split('/c')[1])
    byCategory[c]?.push(i)
  }
  for (const list of byCategory) list.sort((a, b) => (created[a] ?? 0) - (created[b] ?? 0))

  const interactions: Interaction[] = []
  const perUser = o.interactions / o.users
  for (let u = 0; u < o.users; u++) {
    // 1-3 favourite parents, favourite children within them: the hidden taste.
    const taste = new Array<number>(categoryCount).fill(0)
    const favourites = 1 + Math.floor(rng() * 3)
    for (let f = 0; f < favourites; f++) {
      const p = Math.floor(rng() * o.parents)
      const inner = dirichlet(rng, o.childrenPerParent, 0.5)
      const parentWeight = 1 / (f + 1)
      for (let k = 0; k < o.childrenPerParent; k++) {
        const c = p * o.childrenPerParent + k
        taste[c] = (taste[c] ?? 0) + parentWeight * (inner[k] ?? 0)
      }
    }
    const tasteSum = taste.reduce((a, b) => a + b, 0)
    const favouriteStyles = new Set(
      o.latentStyles > 0 ? [0, 1].map(() => Math.floor(rng() * o.latentStyles)) : [],
    )
    const styleAccept = (item: number): boolean =>
      o.latentStyles === 0 || favouriteStyles.has(style[item] ?? -1) || rng() < 0.35
    const count = Math.max(2, Math.round(-Math.log(1 - rng()) * perUser))
    const userStart = o.start + rng() * (o.days * 0.5) * DAY_MS
    for (let n = 0; n < count; n++) {
      const at = Math.floor(userStart + rng() * (end - userStart))
      const onTaste = rng() < 0.8
      const c = onTaste ? pickWeighted(rng, taste) : Math.floor(rng() * categoryCount)
      const item = pickFreshItem(rng, byCategory[c] ?? [], created, quality, at, styleAccept)
      if (item === undefined) continue
      const affinity = (taste[c] ?? 0) / tasteSum
      const styleMatch = o.latentStyles === 0 || favouriteStyles.has(style[item] ?? -1)
      const liked = affinity > 0.1 && (styleMatch || rng() < 0.5)
      const watch = liked
        ? Math.min(1, 0.3 + 0.7 * Math.pow(rng(), 0.6) * Math.min(1, (quality[item] ?? 1) / 1.5))
        : 0.3 * rng() * rng()
      interactions.push({
        userId: `u${u}`,
        itemId: items[item]?.id ?? '',
        kind: 'view',
        watchFraction: Math.round(watch * 1000) / 1000,
        at,
      })
    }
  }
  interactions.sort((a, b) => a.at - b.at)
  return {
    items,
    train: interactions.filter((i) => i.at < cutoff),
    test: interactions.filter((i) => i.at >= cutoff),
    cutoff,
  }
}

// Users lean towards recent uploads (roughly a 10-day half-life) and better videos.
function pickFreshItem(
  rng: Rng,
  list: number[],
  created: number[],
  quality: number[],
  at: number,
  accept: (item: number) => boolean,
): number | undefined {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((created[list[mid] ?? 0] ?? 0) <= at) lo = mid + 1
    else hi = mid
  }
  if (lo === 0) return undefined
  for (let attempt = 0; attempt < 20; attempt++) {
    const ageDays = (-Math.log(1 - rng()) * 10) / Math.LN2
    // Positions are approximately uniform in time, so step back proportionally.
    const first = created[list[0] ?? 0] ?? 0
    const span = Math.max(1, at - first)
    const back = Math.floor(((ageDays * DAY_MS) / span) * lo)
    const index = list[lo - 1 - Math.min(lo - 1, back)]
    if (index === undefined) continue
    if (rng() < (quality[index] ?? 1) / 3 && accept(index)) return index
  }
  return list[lo - 1]
}
