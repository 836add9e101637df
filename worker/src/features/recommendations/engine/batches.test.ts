import { describe, expect, it } from 'vitest'
import {
  batchRankingSources,
  createNeighbourLists,
  createRebuildPlanner,
  rankingFactsOfPlan,
} from './batches'
import { engagementRecordsFromInteractions, scoreEngagement } from './engagement'
import { buildHeadNeighbours } from './headModel'
import { neighbourArrays, rankForUser, type NeighbourArrays } from './ranking'
import { createSeedLists, similarItems, similarList, type SimilarList } from './seedLists'
import { rankingSourcesFromModel, rebuildRecommendations } from './rebuild'
import { buildSimilarityIndex, neighboursOfRow, prepareNeighbourSearch } from './similarity'
import { randomCatalogue, randomInteractions } from './testCatalogue'

const items = randomCatalogue(3, 120)
const interactions = randomInteractions(4, items, 40, 900)
const now = 1000
const options = { now, version: 'v1', trendingSize: 20, categoryListSize: 10 }

function planInPages(pageSize: number) {
  const planner = createRebuildPlanner(items, options)
  for (let i = 0; i < interactions.length; i += pageSize) {
    planner.add(interactions.slice(i, i + pageSize))
  }
  return planner.finish()
}

describe('rebuild planner (the cron step, fed page by page)', () => {
  it('builds the same index whatever the page size, equal to the one-shot build', () => {
    const whole = buildSimilarityIndex(items, interactions, { now, version: 'v1' })
    for (const pageSize of [1, 7, 1000]) {
      const { index } = planInPages(pageSize)
      expect(index.itemIds).toEqual(whole.itemIds)
      expect(Array.from(index.content.values)).toEqual(Array.from(whole.content.values))
      expect(Array.from(index.coEngagement.rowStart)).toEqual(
        Array.from(whole.coEngagement.rowStart),
      )
      expect(Array.from(index.coEngagement.columns)).toEqual(Array.from(whole.coEngagement.columns))
      // Float32 sums in another order may differ in the last bit.
      Array.from(index.coEngagement.values).forEach((v, i) =>
        expect(v).toBeCloseTo(whole.coEngagement.values[i] ?? Number.NaN, 5),
      )
    }
  })

  it('sums engagement across pages as if scored at once', () => {
    const { facts } = planInPages(13)
    const all = scoreEngagement(
      items.map((i) => i.id),
      engagementRecordsFromInteractions(interactions),
      { now },
    )
    facts.itemIds.forEach((id, i) =>
      expect(facts.engagement[i]).toBeCloseTo(all.normalised.get(id) ?? Number.NaN, 9),
    )
    expect(facts.trending).toHaveLength(20)
    expect(facts.trending.map((t) => t.score)).toEqual(
      [...facts.trending.map((t) => t.score)].sort((a, b) => b - a),
    )
  })
})

describe('neighbour lists shared by a version’s batches', () => {
  const planned = planInPages(100)
  const { index } = planned
  // With the head model's lists, as the Worker's neighbour batches search.
  const search = prepareNeighbourSearch(index, {}, buildHeadNeighbours(index.coEngagement, 100))

  it('computes each row once and returns the blended neighbours', () => {
    const lists = createNeighbourLists(search)
    for (const row of [0, 5, 5, 119, 0]) {
      expect(lists.of(row)).toEqual(
        neighboursOfRow(search, row).map((n) => ({
          itemId: n.itemId,
          score: expect.closeTo(n.score, 4),
        })),
      )
    }
    expect(lists.computed()).toBe(3)
  })

  it('stays within its memory bound by dropping blocks and computing them again', () => {
    const many = randomCatalogue(5, 600)
    const wide = prepareNeighbourSearch(
      buildSimilarityIndex(many, randomInteractions(6, many, 100, 3000), { now }),
    )
    // Room for one block of 256 rows: row 300 is in the second block and evicts the first.
    const lists = createNeighbourLists(wide, 256 * (wide.options.k * 6 + 2))
    const first = lists.of(0)
    lists.of(300)
    expect(lists.of(0)).toEqual(first)
    expect(lists.computed()).toBe(3)
    const roomy = createNeighbourLists(wide)
    roomy.of(0)
    roomy.of(300)
    roomy.of(0)
    expect(roomy.computed()).toBe(2)
  })

  it('ranks a user exactly as the in-memory rebuild does', () => {
    const model = rebuildRecommendations(items, interactions, { now, version: 'v1' })
    const lists = createNeighbourLists(search)
    const batch = batchRankingSources(
      { arrays: (row) => neighbourArrays(lists.of(row)) },
      rankingFactsOfPlan(planned),
    )
    const inMemory = rankingSourcesFromModel(model)
    const history = interactions.filter((i) => i.userId === 'u7')
    const profile = { userId: 'u7', history }
    const fromBatch = rankForUser(batch, profile, { now, limit: 20 })
    const fromModel = rankForUser(inMemory, profile, { now, limit: 20 })
    expect(fromBatch.map((s) => s.itemId)).toEqual(fromModel.map((s) => s.itemId))
    expect(fromBatch.length).toBe(20)
    expect(batch.item('nope')).toBeUndefined()
    expect(batch.engagement('nope')).toBe(0)
  })

  it('ranks the same from the stored lists (integer scores and their scale) as from their scores', () => {
    const facts = rankingFactsOfPlan(planned)
    const neighbours = createNeighbourLists(search)
    const profiles = ['u3', 'u7', 'u11', 'u20'].map((userId) => ({
      userId,
      history: interactions.filter((i) => i.userId === userId),
    }))
    // As a user batch holds them: the `similar:` lists as KV returns them, one missing; beside
    // them the same lists as scored items (`similarItems`, each score divided once), scale 1.
    const lists = createSeedLists('v1')
    const asScores = new Map<string, NeighbourArrays>()
    for (const [row, id] of planned.index.itemIds.entries()) {
      if (row === 5) {
        lists.add(id, null)
        continue
      }
      const stored = JSON.parse(JSON.stringify(similarList('v1', now, neighbours.of(row))))
      lists.add(id, stored as SimilarList)
      asScores.set(id, neighbourArrays(similarItems(stored as SimilarList) ?? []))
    }
    const stored = batchRankingSources(
      { arrays: (row) => lists.arrays(facts.items.ids.idAt(row)) },
      facts,
    )
    const scored = batchRankingSources(
      { arrays: (row) => asScores.get(facts.items.ids.idAt(row)) },
      facts,
    )
    expect(stored.neighbours(planned.index.itemIds[1] ?? '')?.scale).toBe(65535)
    for (const profile of profiles) {
      const fromStored = rankForUser(stored, profile, { now, limit: 30 })
      expect(fromStored).toEqual(rankForUser(scored, profile, { now, limit: 30 }))
      expect(fromStored.length).toBe(30)
    }
  })
})

describe('user batches', () => {
  it('puts users who engaged with the same part of the catalogue in the same batch', () => {
    const catalogue = ['a', 'b', 'c', 'd'].map((id, i) => ({
      ...randomCatalogue(1, 1)[0],
      id,
      tags: [],
      labels: [],
      createdAt: 0,
      categories: [i < 2 ? 'music/rock' : 'sport/run'],
      parentCategories: [i < 2 ? 'music' : 'sport'],
    }))
    const planner = createRebuildPlanner(catalogue, options)
    const at = 500
    planner.add([
      { userId: 'u1', itemId: 'a', kind: 'view', at },
      { userId: 'u2', itemId: 'c', kind: 'view', at },
      { userId: 'u3', itemId: 'b', kind: 'like', at },
      { userId: 'u4', itemId: 'd', kind: 'view', at },
    ])
    const planned = planner.finish()
    // Music rows come first (rows are grouped by category); users without activity last.
    expect(planned.batchUsers(['u1', 'u2', 'u3', 'u4', 'u5'], 2)).toEqual([
      ['u1', 'u3'],
      ['u2', 'u4'],
      ['u5'],
    ])
    expect(planned.batchUsers([], 2)).toEqual([])
  })
})
