// Seeded, stratified train / validation / test split. Same seed and input order: same split.
import type { Example } from './datasets'

export const SPLIT_SEED = 20261122

/** mulberry32: a small deterministic PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const a = items[i]
    const b = items[j]
    if (a === undefined || b === undefined) continue
    items[i] = b
    items[j] = a
  }
  return items
}

export interface Split {
  train: Example[]
  val: Example[]
  test: Example[]
}

/**
 * 70 / 15 / 15 (or the given shares) within each stratum (source plus main label), so small strata
 * reach every split.
 */
export function splitExamples(
  examples: readonly Example[],
  seed = SPLIT_SEED,
  shares: { val: number; test: number } = { val: 0.15, test: 0.15 },
): Split {
  const strata = new Map<string, Example[]>()
  for (const ex of examples) {
    const list = strata.get(ex.stratum) ?? []
    list.push(ex)
    strata.set(ex.stratum, list)
  }
  const random = seededRandom(seed)
  const split: Split = { train: [], val: [], test: [] }
  for (const key of [...strata.keys()].sort()) {
    const list = shuffleInPlace([...(strata.get(key) ?? [])], random)
    const nTest = Math.round(list.length * shares.test)
    const nVal = Math.round(list.length * shares.val)
    split.test.push(...list.slice(0, nTest))
    split.val.push(...list.slice(nTest, nTest + nVal))
    split.train.push(...list.slice(nTest + nVal))
  }
  return split
}
