import { describe, expect, it } from 'vitest'
import type { Interaction } from '../../src/features/recommendations/engine'
import { item } from '../../src/features/recommendations/engine/testCatalogue'
import {
  compareRecommenders,
  evaluate,
  pairedNdcgDifference,
  prepareSplit,
  tunedEngineSettings,
} from './offlineEvaluation'
import { generateSyntheticDataset } from './syntheticInteractions'

const view = (userId: string, itemId: string, at: number, watch = 0.9): Interaction => ({
  userId,
  itemId,
  kind: 'view',
  watchFraction: watch,
  at,
})

describe('offline evaluation', () => {
  const items = ['a', 'b', 'c', 'd'].map((id) => item(id, ['x']))
  const split = prepareSplit(
    items,
    [view('u1', 'a', 1), view('u2', 'b', 1)],
    // u1 engaged with c; d was a glance (not relevant); u3 has no train history.
    [view('u1', 'c', 2), view('u1', 'd', 2, 0.1), view('u3', 'c', 2)],
  )

  it('scores NDCG and recall by hand-checkable ranks', () => {
    expect(split.relevant).toEqual(new Map([['u1', new Set(['c'])]]))
    expect(evaluate(split, () => ['c', 'b'], 10)).toMatchObject({ ndcg: 1, recall: 1, users: 1 })
    expect(evaluate(split, () => ['b', 'c'], 10).ndcg).toBeCloseTo(1 / Math.log2(3), 4)
    expect(evaluate(split, () => ['b', 'd'], 10)).toMatchObject({ ndcg: 0, recall: 0 })
  })

  it('gives a paired bootstrap interval that excludes 0 only for a real gap', () => {
    const same = pairedNdcgDifference([0.1, 0.2, 0.3], [0.1, 0.2, 0.3])
    expect(same).toEqual({ difference: 0, ci95: [0, 0] })
    const better = Array.from({ length: 200 }, (_, i) => (i % 3) / 3)
    const worse = better.map((v) => v - 0.1)
    expect(pairedNdcgDifference(better, worse).ci95[0]).toBeGreaterThan(0)
    const noisy = better.map((v, i) => v + (i % 2 === 0 ? 0.3 : -0.3))
    const { ci95 } = pairedNdcgDifference(noisy, better)
    expect(ci95[0]).toBeLessThan(0)
    expect(ci95[1]).toBeGreaterThan(0)
  })

  it('ranks the generator’s hidden tastes better than all three baselines', () => {
    const d = generateSyntheticDataset({ seed: 3, items: 1500, users: 400, interactions: 20000 })
    const r = compareRecommenders(d.items, d.train, d.test, 10, { engine: tunedEngineSettings })
    const engine = r.engines.engine?.ndcg ?? 0
    expect(r.engines.engine?.users).toBeGreaterThan(200)
    for (const baseline of [r.popularity, r.seedFormula, r.itemKnn]) {
      expect(engine).toBeGreaterThan(baseline.ndcg)
    }
    expect(r.firstEngineVsBaselines.popularity?.ci95[0]).toBeGreaterThan(0)
  })
})
