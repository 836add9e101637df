import { describe, expect, it } from 'vitest'
import type { Interaction } from '../../src/features/recommendations/engine'
import { item } from '../../src/features/recommendations/engine/testCatalogue'
import {
  compareRecommenders,
  evaluate,
  pairedNdcgDifference,
  prepareSplit,
  validationSplit,
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

  // The generator is for tests, not for choosing settings: this checks that the whole
  // comparison runs end to end and that the engine learns co-engagement it was given.
  it('compares the engine with every baseline, EASE and tuned item-kNN included', () => {
    const d = generateSyntheticDataset({ seed: 3, items: 600, users: 300, interactions: 12000 })
    const r = compareRecommenders(d.items, d.train, d.test, 10, undefined, {
      ease: { lambda: 200, minUsers: 2, maxItems: 400 },
      itemKnn: { neighbours: 50, shrinkage: 10, power: 1 },
    })
    expect(Object.keys(r.baselines).sort()).toEqual(
      ['ease', 'itemKnn', 'itemKnnTuned', 'popularity', 'seedFormula'].sort(),
    )
    const engine = r.engines.engine?.ndcg ?? 0
    expect(r.engines.engine?.users).toBeGreaterThan(150)
    expect(engine).toBeGreaterThan(r.baselines.popularity?.ndcg ?? 1)
    expect(r.firstEngineVsBaselines.ease).toBeDefined()
    // Five recommenders and two dense EASE fits (the baseline's and the engine's head).
  }, 30_000)

  it('cuts validation from each user’s last train interactions, never from test', () => {
    const train = [1, 2, 3, 4, 5].flatMap((t) => [view('u1', `i${t}`, t), view('u2', `j${t}`, t)])
    const validation = validationSplit(
      ['i1', 'i2', 'i3', 'i4', 'i5', 'j1', 'j2', 'j3', 'j4', 'j5'].map((id) => item(id, ['x'])),
      train,
    )
    expect(validation.relevant).toEqual(
      new Map([
        ['u1', new Set(['i5'])],
        ['u2', new Set(['j5'])],
      ]),
    )
    expect(validation.train.every((i) => i.at < 5)).toBe(true)
  })
})
