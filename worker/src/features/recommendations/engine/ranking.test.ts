import { describe, expect, it } from 'vitest'
import { analysePreferences } from './preferences'
import {
  coldStartFeed,
  neighbourArrays,
  rankForUser,
  rankingSeeds,
  similarVideos,
  type RankingSources,
} from './ranking'
import { rankingSourcesFromModel, rebuildRecommendations } from './rebuild'
import { item, randomCatalogue, randomInteractions } from './testCatalogue'
import { DAY_MS, type Interaction } from './types'

const now = 40 * DAY_MS
const view = (userId: string, itemId: string, watchFraction: number, daysAgo = 1): Interaction => ({
  userId,
  itemId,
  kind: 'view',
  watchFraction,
  at: now - daysAgo * DAY_MS,
})

const catalogue = [
  item('m1', ['music/rock'], ['guitar', 'live']),
  item('m2', ['music/rock'], ['guitar', 'studio']),
  item('m3', ['music/rock'], ['guitar', 'live']),
  item('m4', ['music/jazz'], ['piano']),
  item('m5', ['music/rock'], ['guitar'], { published: false }),
  item('s1', ['sport/football'], ['goal']),
  item('s2', ['sport/football'], ['goal', 'live']),
  item('s3', ['sport/tennis'], ['serve']),
  item('c1', ['cooking/baking'], ['bread']),
  item('c2', ['cooking/baking'], ['cake']),
]
const interactions = [
  view('fan', 'm1', 0.9),
  view('fan', 'm2', 0.1),
  view('other', 'm1', 0.8),
  view('other', 'm3', 0.7),
  view('other', 's1', 0.9),
  view('crowd', 's1', 1),
  view('crowd2', 's1', 1),
  view('crowd2', 'c1', 1),
]
const model = rebuildRecommendations(catalogue, interactions, { now })
const sources = rankingSourcesFromModel(model)
const fanHistory = interactions.filter((i) => i.userId === 'fan')

describe('ranking', () => {
  it('recommends neighbours of what the user liked, never watched, seen, served or unpublished', () => {
    const ranked = rankForUser(
      sources,
      { userId: 'fan', history: fanHistory },
      { now },
      new Set(['m4']),
    )
    const ids = ranked.map((r) => r.itemId)
    expect(ids[0]).toBe('m3')
    expect(ids).not.toContain('m1')
    // Seen at 10% (not watched) still counts as seen.
    expect(ids).not.toContain('m2')
    expect(ids).not.toContain('m4')
    expect(ids).not.toContain('m5')
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("needs only the seeds' neighbour lists, so a batch can prefetch them", () => {
    const seeds = rankingSeeds(fanHistory, { now }).map((s) => s.itemId)
    expect(seeds).toEqual(['m1'])
    const prefetched = {
      ...sources,
      neighbours: (id: string) => (seeds.includes(id) ? sources.neighbours(id) : undefined),
    }
    const user = { userId: 'fan', history: fanHistory }
    expect(rankForUser(prefetched, user, { now })).toEqual(rankForUser(sources, user, { now }))
  })

  it('filters a published:false flag even when the caller forgot to', () => {
    const leaky = { ...sources, neighbours: () => neighbourArrays([{ itemId: 'm5', score: 1 }]) }
    const ids = rankForUser(leaky, { userId: 'fan', history: fanHistory }, { now }).map(
      (r) => r.itemId,
    )
    expect(ids).not.toContain('m5')
    expect(similarVideos(leaky, 'm1', 10).map((s) => s.itemId)).toEqual([])
  })

  it('starts new users from their sign-up parent categories, then trending', () => {
    const ids = coldStartFeed(sources, ['cooking', 'sport'], 6).map((r) => r.itemId)
    expect(ids.slice(0, 2).sort()).toEqual(['c1', 's1'])
    expect(ids.slice(0, 5).every((id) => id.startsWith('c') || id.startsWith('s'))).toBe(true)
    const viaRank = rankForUser(
      sources,
      { userId: 'new', history: [], signupParentCategories: ['cooking'] },
      { now, limit: 3 },
    )
    expect(
      viaRank
        .map((r) => r.itemId)
        .slice(0, 2)
        .sort(),
    ).toEqual(['c1', 'c2'])
  })

  it('gives anonymous users trending by decayed engagement', () => {
    const ids = rankForUser(sources, { userId: 'anon', history: [] }, { now, limit: 3 }).map(
      (r) => r.itemId,
    )
    expect(ids[0]).toBe('s1')
    expect(ids).not.toContain('m5')
  })

  it('finds 1-3 preferred categories with weights and counts over 30 days', () => {
    const prefs = analysePreferences(
      [
        view('u', 'm1', 1),
        { userId: 'u', itemId: 'm1', kind: 'like', at: now - DAY_MS },
        { userId: 'u', itemId: 's1', kind: 'comment', at: now - DAY_MS },
        view('u', 'c1', 1, 45),
        view('u', 'm4', 0.1),
      ],
      (id) => catalogue.find((c) => c.id === id)?.categories,
      { now },
    ).get('u')
    // rock: 1.0 (full watch) + 1.5 like; football: 2.0 comment; jazz glance 0.2 is noise.
    expect(prefs).toEqual([
      { category: 'music/rock', score: expect.closeTo(2.5 / 4.7, 6), interactions: 2 },
      { category: 'sport/football', score: expect.closeTo(2 / 4.7, 6), interactions: 1 },
    ])
  })

  it('names the signal that placed each item: a watched seed, a picked category, trending', () => {
    const ranked = rankForUser(sources, { userId: 'fan', history: fanHistory }, { now })
    expect(ranked[0]).toMatchObject({ itemId: 'm3', reason: { kind: 'watched', itemId: 'm1' } })
    const cold = rankForUser(
      sources,
      { userId: 'new', history: [], signupParentCategories: ['cooking'] },
      { now, limit: 4 },
    )
    expect(cold[0]?.reason).toEqual({ kind: 'category', category: 'cooking' })
    // Past the chosen parent's clips the list is topped up from trending, and says so.
    expect(cold.find((r) => !r.itemId.startsWith('c'))?.reason).toEqual({ kind: 'trending' })
  })

  // Plain sources with hand-set neighbour lists, so each score is checkable by hand.
  const handSources = (
    neighbours: Record<string, Array<[string, number]>>,
    categories: Record<string, string[]> = {},
  ): RankingSources => ({
    item: (id) => ({
      categories: categories[id] ?? ['x'],
      parentCategories: ['x'],
      createdAt: 0,
      published: true,
    }),
    neighbours: (id) => {
      const list = neighbours[id]
      return list && neighbourArrays(list.map(([itemId, score]) => ({ itemId, score })))
    },
    engagement: () => 0,
    categoryList: () => undefined,
    parentCategoryList: () => undefined,
    trending: () => [],
  })

  it('counts a skip against the skipped clip’s neighbours', () => {
    const hand = handSources({
      a: [
        ['x', 1],
        ['y', 0.9],
      ],
      b: [['y', 1]],
    })
    const watched = [view('u', 'a', 1, 2)]
    const skip: Interaction = { userId: 'u', itemId: 'b', kind: 'skip', at: now - DAY_MS }
    const before = rankForUser(hand, { userId: 'u', history: watched }, { now })
    const after = rankForUser(hand, { userId: 'u', history: [...watched, skip] }, { now })
    const score = (list: typeof before, id: string): number =>
      list.find((r) => r.itemId === id)?.score ?? Number.NaN
    expect(score(after, 'y')).toBeLessThan(score(before, 'y'))
    expect(score(after, 'x')).toBeCloseTo(score(before, 'x'), 9)
    expect(after.map((r) => r.itemId)).not.toContain('b')
    // A view left in the first seconds is a skip too; "not interested" counts three times.
    const glance = view('u', 'b', 0.05, 1)
    const viaGlance = rankForUser(hand, { userId: 'u', history: [...watched, glance] }, { now })
    expect(score(viaGlance, 'y')).toBeCloseTo(score(after, 'y'), 9)
    const hide: Interaction = { ...skip, weight: 3 }
    const hidden = rankForUser(hand, { userId: 'u', history: [...watched, hide] }, { now })
    expect(score(hidden, 'y')).toBeLessThan(score(after, 'y'))
  })

  it('weighs recent seeds above old ones, so the feed follows what was watched last', () => {
    const hand = handSources({ old: [['o', 1]], recent: [['r', 1]] })
    const history = [view('u', 'old', 1, 10), view('u', 'recent', 1, 1)]
    const ids = rankForUser(hand, { userId: 'u', history }, { now }).map((r) => r.itemId)
    expect(ids).toEqual(['r', 'o'])
    const flat = rankForUser(hand, { userId: 'u', history }, { now, seedRecencyHalfLife: 0 })
    expect(flat[0]?.score).toBeCloseTo(flat[1]?.score ?? 0, 1)
    // Simultaneous seeds (a log without order) share a rank: neither is "more recent".
    const same = [view('u', 'old', 1, 3), view('u', 'recent', 1, 3)]
    const tied = rankForUser(hand, { userId: 'u', history: same }, { now })
    expect(tied[0]?.score).toBeCloseTo(tied[1]?.score ?? 0, 9)
  })

  it('keeps exactly the best `limit` of all candidates, whatever it skips on the way', () => {
    // A short list must be the head of a long one: ranking skips candidates whose score could
    // not reach the short list, and a wrong bound (category or engagement term left out)
    // drops one that should have made it.
    const items = randomCatalogue(3, 400)
    const log = randomInteractions(4, items, 60, 3000).map((i) => ({ ...i, at: now - i.at }))
    const random = rankingSourcesFromModel(rebuildRecommendations(items, log, { now }))
    const users = new Map<string, Interaction[]>()
    for (const i of log) users.set(i.userId, [...(users.get(i.userId) ?? []), i])
    let compared = 0
    for (const [userId, all] of users) {
      for (const history of [all, all.slice(0, 2)]) {
        for (const weights of [
          { similarity: 1, engagement: 0 },
          { similarity: 1, engagement: 0.6 },
        ]) {
          const options = { now, weights, categoryWeight: 0.8 }
          const full = rankForUser(random, { userId, history }, { ...options, limit: 1000 })
          const short = rankForUser(random, { userId, history }, { ...options, limit: 7 })
          expect(short).toEqual(full.slice(0, 7))
          compared++
        }
      }
    }
    expect(compared).toBeGreaterThan(200)
  })
})
