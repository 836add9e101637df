import { describe, expect, it } from 'vitest'
import { batchRankingSources, createNeighbourLists, createRebuildPlanner } from './batches'
import {
  createStoredNeighbourLists,
  decodeNeighbourBlock,
  encodeNeighbourBlock,
  rowsByBlock,
} from './neighbourBlocks'
import { rankForUser, rankingSeeds } from './ranking'
import { planNeighbourBatches, prepareNeighbourSearch } from './similarity'
import { randomCatalogue, randomInteractions } from './testCatalogue'

const items = randomCatalogue(3, 120)
const interactions = randomInteractions(4, items, 40, 900)
const now = 1000
const planner = createRebuildPlanner(items, {
  now,
  version: 'v1',
  trendingSize: 20,
  categoryListSize: 10,
})
planner.add(interactions)
const { index, facts } = planner.finish()
const lists = createNeighbourLists(prepareNeighbourSearch(index))
const blockRows = 25
const blocks = planNeighbourBatches(index.itemIds.length, blockRows).map((b) =>
  encodeNeighbourBlock(lists, b.start, b.end),
)

describe('neighbour blocks (what neighbour batches store for user batches)', () => {
  it('round-trips every row of a block exactly', () => {
    const block = decodeNeighbourBlock(blocks[1] ?? new Uint8Array())
    expect([block.start, block.end]).toEqual([25, 50])
    const stored = createStoredNeighbourLists(index.itemIds)
    stored.add(block, [25, 30, 49])
    for (const row of [25, 30, 49]) expect(stored.of(row)).toEqual(lists.of(row))
    expect(stored.of(30).length).toBeGreaterThan(0)
    expect(block.entries(24)).toBeUndefined()
    expect(block.entries(50)).toBeUndefined()
    // Only the rows asked for are kept; a row nobody supplied is counted.
    expect(stored.size()).toBe(3)
    expect(stored.of(26)).toEqual([])
    expect(stored.missing()).toBe(1)
  })

  it('reads blocks at any byte offset and refuses what is not a block', () => {
    const shifted = new Uint8Array((blocks[0]?.byteLength ?? 0) + 2)
    shifted.set(blocks[0] ?? [], 2)
    const block = decodeNeighbourBlock(shifted.subarray(2))
    expect(block.entries(3)?.rows.length).toBe(lists.entries(3).rows.length)
    expect(() => decodeNeighbourBlock(new Uint8Array(16))).toThrow(/not a neighbour block/)
    expect(() => decodeNeighbourBlock((blocks[0] ?? new Uint8Array()).subarray(0, 40))).toThrow()
  })

  it('names each block a set of rows needs once, in order, with its rows', () => {
    expect([...rowsByBlock([49, 3, 26, 0, 25], 25)]).toEqual([
      [0, [3, 0]],
      [25, [49, 26, 25]],
    ])
    expect(rowsByBlock([], 25).size).toBe(0)
  })

  it('ranks a user from the blocks of their seeds exactly as from the whole index', () => {
    const whole = batchRankingSources(lists, facts, 10)
    for (const userId of ['u3', 'u7', 'u11']) {
      const history = interactions.filter((i) => i.userId === userId)
      const stored = createStoredNeighbourLists(index.itemIds)
      const rows = rankingSeeds(history, { now }).map((s) => whole.rowOf(s.itemId) ?? -1)
      for (const [start, wanted] of rowsByBlock(rows, blockRows)) {
        stored.add(decodeNeighbourBlock(blocks[start / blockRows] ?? new Uint8Array()), wanted)
      }
      const fromBlocks = batchRankingSources(stored, facts, 10)
      const profile = { userId, history }
      expect(rankForUser(fromBlocks, profile, { now, limit: 20 })).toEqual(
        rankForUser(whole, profile, { now, limit: 20 }),
      )
      expect(stored.missing()).toBe(0)
      expect(stored.size()).toBeLessThan(index.itemIds.length)
    }
  })
})
