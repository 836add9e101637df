import { describe, expect, it } from 'vitest'
import {
  decideExplorationCount,
  expectedExplorationShare,
  priorArms,
  updateInterest,
} from './exploration'
import {
  assembleFeedPage,
  createFeedState,
  dampNeighbours,
  markNotInterested,
  MAX_DAMPED,
  MIN_DAMPING,
  recordFeedEvent,
  selectExplorationCandidates,
  SKIP_DAMPING,
  type FeedState,
} from './feedPage'
import { createRng } from './random'
import { DAY_MS } from './types'

const exploitList = Array.from({ length: 200 }, (_, i) => ({ itemId: `x${i}`, score: 1 - i / 200 }))
const explorePool = Array.from({ length: 200 }, (_, i) => `n${i}`)
const categoriesOf = (id: string): string[] | undefined =>
  id === 'x3' ? undefined : [id.startsWith('x') ? 'known' : 'fresh']
const input = { exploit: exploitList, exploration: explorePool, categoriesOf }

function simulate(
  exploreSuccess: number,
  exploitSuccess: number,
  seed: number,
): { shares: number[]; state: FeedState } {
  const rng = createRng(seed)
  let state = createFeedState(0)
  const shares: number[] = []
  for (let page = 0; page < 15; page++) {
    const now = page * 60_000
    const assembled = assembleFeedPage(state, input, rng, now)
    state = assembled.state
    shares.push(assembled.exploratory)
    for (const served of assembled.items) {
      const p = served.arm === 'explore' ? exploreSuccess : exploitSuccess
      const outcome =
        rng() < p ? { kind: 'watch' as const, watchFraction: 0.8 } : { kind: 'skip' as const }
      state = recordFeedEvent(state, {
        itemId: served.itemId,
        outcome,
        categories: categoriesOf(served.itemId) ?? [],
        at: now,
      })
    }
  }
  return { shares, state }
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

describe('Thompson sampling', () => {
  it('explores 2 of 10 on average under the prior, within 1..5', () => {
    const rng = createRng(3)
    const counts = Array.from({ length: 2000 }, () => decideExplorationCount(priorArms, rng))
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1)
    expect(Math.max(...counts)).toBeLessThanOrEqual(5)
    expect(mean(counts)).toBeGreaterThan(1.7)
    expect(mean(counts)).toBeLessThan(2.3)
  })

  it('moves the exploratory share toward the better arm within a session', () => {
    const exploreWins = simulate(0.9, 0.2, 42)
    const exploitWins = simulate(0.1, 0.9, 42)
    expect(expectedExplorationShare(exploreWins.state.arms)).toBeGreaterThan(
      expectedExplorationShare(priorArms),
    )
    expect(expectedExplorationShare(exploitWins.state.arms)).toBeLessThan(
      expectedExplorationShare(priorArms),
    )
    expect(mean(exploreWins.shares.slice(-5))).toBeGreaterThan(3.5)
    expect(mean(exploitWins.shares.slice(-5))).toBeLessThan(1.5)
  })

  it('is deterministic given the seed', () => {
    expect(simulate(0.5, 0.5, 7)).toEqual(simulate(0.5, 0.5, 7))
  })
})

describe('feed pages', () => {
  it('never repeat and skip unservable items', () => {
    const rng = createRng(5)
    let state = createFeedState(0)
    const seen = new Set<string>()
    for (let page = 0; page < 25; page++) {
      const assembled = assembleFeedPage(state, input, rng, page)
      expect(assembled.items).toHaveLength(10)
      for (const i of assembled.items) {
        expect(seen.has(i.itemId)).toBe(false)
        expect(i.itemId).not.toBe('x3')
        seen.add(i.itemId)
      }
      state = assembled.state
    }
  })

  it('skips videos watched in this session and fills from the pool when the list runs out', () => {
    let state = createFeedState(0)
    state = recordFeedEvent(state, {
      itemId: 'x0',
      outcome: { kind: 'like' },
      categories: ['known'],
      at: 0,
    })
    const page = assembleFeedPage(
      state,
      { ...input, exploit: exploitList.slice(0, 4) },
      createRng(1),
      0,
    )
    const ids = page.items.map((i) => i.itemId)
    expect(ids).not.toContain('x0')
    expect(ids).toHaveLength(10)
    expect(ids.filter((id) => id.startsWith('x')).sort()).toEqual(['x1', 'x2'])
  })

  it('re-ranks by the session interest vector', () => {
    let state = createFeedState(0)
    state = { ...state, interest: updateInterest(state.interest, ['late'], 3, 0) }
    const exploit = [
      { itemId: 'a', score: 0.5 },
      { itemId: 'b', score: 0.4 },
    ]
    const cats = (id: string): string[] => (id === 'b' ? ['late'] : ['other'])
    const page = assembleFeedPage(
      state,
      { exploit, exploration: [], categoriesOf: cats },
      createRng(1),
      0,
    )
    expect(page.items.map((i) => i.itemId)).toEqual(['b', 'a'])
  })

  it('prefers fresh, under-exposed videos for exploration', () => {
    const now = 30 * DAY_MS
    const pool = selectExplorationCandidates(
      [
        { id: 'old', createdAt: 0, impressions: 0 },
        { id: 'fresh-popular', createdAt: now, impressions: 10_000 },
        { id: 'fresh-quiet', createdAt: now, impressions: 3 },
        { id: 'hidden', createdAt: now, impressions: 0, published: false },
      ],
      now,
    )
    expect(pool).toEqual(['fresh-quiet', 'fresh-popular', 'old'])
  })
})

describe('negative feedback and reasons in page assembly', () => {
  it('loads a state stored before negative feedback existed', () => {
    // The shape FeedState objects were stored in before `hidden` and `damped`.
    const old: FeedState = {
      version: 1,
      arms: priorArms,
      interest: { weights: { known: 0.5 }, updatedAt: 0 },
      served: ['x0'],
      pending: [{ itemId: 'x0', arm: 'exploit' }],
      watched: [],
      pagesServed: 1,
    }
    const page = assembleFeedPage(old, input, createRng(3), 0)
    expect(page.items).toHaveLength(10)
    expect(page.items.map((i) => i.itemId)).not.toContain('x0')
  })

  it('never serves a clip marked not interested, and demotes its neighbours', () => {
    const state = markNotInterested(createFeedState(0), {
      itemId: 'x0',
      categories: ['known'],
      neighbours: [
        { itemId: 'x1', score: 0.8 },
        { itemId: 'x2', score: 0.4 },
      ],
      at: 0,
    })
    expect(state.hidden).toEqual(['x0'])
    expect(state.damped?.x1).toBeCloseTo(0.4)
    expect(state.damped?.x2).toBeCloseTo(0.7)
    let current = state
    const served: string[] = []
    for (let i = 0; i < 10; i++) {
      const page = assembleFeedPage(current, input, createRng(i), 0, {
        minExploratory: 0,
        maxExploratory: 0,
      })
      served.push(...page.items.map((item) => item.itemId))
      current = page.state
    }
    expect(served).not.toContain('x0')
    // x1 scores 0.995 x 0.4 ~ 0.40, behind the first 100 undamped items; x2 0.99 x 0.7
    // ~ 0.69, just behind x61.
    expect(served).toHaveLength(100)
    expect(served).not.toContain('x1')
    expect(served.indexOf('x2')).toBeGreaterThan(served.indexOf('x61'))
  })

  it('keeps the damped map bounded and never damps to zero', () => {
    let state = createFeedState(0)
    for (let i = 0; i < MAX_DAMPED + 50; i++) {
      state = dampNeighbours(state, [{ itemId: `d${i}`, score: 1 }], 1)
    }
    const entries = Object.entries(state.damped ?? {})
    expect(entries).toHaveLength(MAX_DAMPED)
    expect(state.damped?.d0).toBeUndefined()
    expect(state.damped?.[`d${MAX_DAMPED + 49}`]).toBe(MIN_DAMPING)
    const skipped = dampNeighbours(createFeedState(0), [{ itemId: 'a', score: 0.5 }], SKIP_DAMPING)
    expect(skipped.damped?.a).toBeCloseTo(1 - SKIP_DAMPING)
  })

  it('names the candidates it will never serve again, and leaves a part list short without fillFromPool', () => {
    const first = assembleFeedPage(createFeedState(0), input, createRng(9), 0)
    const watched = recordFeedEvent(first.state, {
      itemId: 'x150',
      outcome: { kind: 'watch', watchFraction: 0.9 },
      categories: ['known'],
      at: 0,
    })
    const hidden = markNotInterested(watched, {
      itemId: 'n150',
      categories: ['fresh'],
      neighbours: [],
      at: 0,
    })
    const next = assembleFeedPage(hidden, input, createRng(10), 0)
    expect(new Set(next.consumed)).toEqual(
      new Set([...first.items.map((i) => i.itemId), 'x150', 'n150']),
    )
    // Only list items served or watched already: without the fill, just the draws.
    const part = { ...input, exploit: exploitList.filter((s) => next.consumed.includes(s.itemId)) }
    const short = assembleFeedPage(hidden, part, createRng(11), 0, { fillFromPool: false })
    expect(short.items.every((i) => i.arm === 'explore')).toBe(true)
    expect(short.items.length).toBe(short.exploratory)
    expect(short.items.length).toBeLessThanOrEqual(5)
    const filled = assembleFeedPage(hidden, part, createRng(11), 0)
    expect(filled.items).toHaveLength(10)
  })

  it('carries the ranked list’s reason for exploit items and says explore for the rest', () => {
    const exploit = exploitList.map((s, i) => ({
      ...s,
      reason: { kind: 'watched' as const, itemId: `w${i}` },
    }))
    const page = assembleFeedPage(createFeedState(0), { ...input, exploit }, createRng(5), 0)
    for (const item of page.items) {
      if (item.arm === 'explore') expect(item.reason).toEqual({ kind: 'explore' })
      else expect(item.reason).toEqual({ kind: 'watched', itemId: `w${item.itemId.slice(1)}` })
    }
    // The pending list stays small: reasons are not stored per served item.
    expect(page.state.pending.every((p) => Object.keys(p).length === 2)).toBe(true)
  })
})
