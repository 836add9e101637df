import { describe, expect, it } from 'vitest'
import {
  SEED_LISTS_PER_READ,
  createSeedLists,
  seedReads,
  similarItems,
  similarList,
} from './seedLists'

describe('seed lists', () => {
  it('reads each seed once, at most 100 keys a read', () => {
    const ids = Array.from({ length: 250 }, (_, i) => `v${i}`)
    const reads = seedReads([...ids, ...ids.slice(0, 40)])
    expect(reads.map((r) => r.length)).toEqual([SEED_LISTS_PER_READ, SEED_LISTS_PER_READ, 50])
    expect(new Set(reads.flat()).size).toBe(250)
    expect(seedReads([])).toEqual([])
  })

  it('counts lists that are absent or from another version, and uses the old ones', () => {
    const lists = createSeedLists('v2')
    lists.add('a', similarList('v2', 0, [{ itemId: 'b', score: 1 }]))
    // A list written before the flat shape.
    lists.add('c', { version: 'v1', items: [{ itemId: 'd', score: 0.5 }] })
    lists.add('e', null)
    lists.add('f', undefined)
    // The flat list as stored; the older shape with its scores as they are; none when missing.
    expect(lists.arrays('a')).toEqual({ ids: ['b'], scores: [65535], scale: 65535 })
    expect(lists.arrays('c')).toEqual({ ids: ['d'], scores: [0.5], scale: 1 })
    expect(lists.arrays('e')).toBeUndefined()
    expect([lists.size(), lists.missing(), lists.stale()]).toEqual([2, 2, 1])
  })

  it("stores scores as integers that give back the neighbour lists' exact numbers", () => {
    const items = [0, 1, 32768, 65535].map((q, i) => ({ itemId: `v${i}`, score: q / 65535 }))
    const list = similarList('v3', 7, items)
    expect(list.scores).toEqual([0, 1, 32768, 65535])
    expect(similarItems(JSON.parse(JSON.stringify(list)) as typeof list)).toEqual(items)
    expect(similarItems({ version: 'v3' })).toBeUndefined()
    expect(similarItems(null)).toBeUndefined()
  })
})
