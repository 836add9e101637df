import { describe, expect, it } from 'vitest'
import {
  buildHeadNeighbours,
  decodeHeadNeighbours,
  encodeHeadNeighbours,
  headRows,
  invertSpd,
} from './headModel'
import { rebuildRecommendations } from './rebuild'
import { buildSparseMatrix, type SparseMatrix } from './sparse'
import { randomCatalogue } from './testCatalogue'
import type { Interaction } from './types'

// items x users from (item, user) pairs, every engagement worth one.
function engagements(items: number, users: number, pairs: [number, number][]): SparseMatrix {
  return buildSparseMatrix(
    items,
    users,
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
    pairs.map(() => 1),
  )
}

describe('invertSpd', () => {
  it('inverts a symmetric positive definite matrix', () => {
    const n = 6
    const a = new Float64Array(n * n)
    // A = M^T M + I for a fixed M: symmetric positive definite.
    const m = Array.from({ length: n * n }, (_, i) => Math.sin(i * 1.7) * 3)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = i === j ? 1 : 0
        for (let r = 0; r < n; r++) sum += (m[r * n + i] ?? 0) * (m[r * n + j] ?? 0)
        a[i * n + j] = sum
      }
    }
    const inverse = a.slice()
    invertSpd(inverse, n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let product = 0
        for (let r = 0; r < n; r++) product += (a[i * n + r] ?? 0) * (inverse[r * n + j] ?? 0)
        expect(product).toBeCloseTo(i === j ? 1 : 0, 9)
      }
    }
  })
})

describe('the head model (EASE on the most engaged videos)', () => {
  it('covers the most engaged videos only, at most `items` of them', () => {
    // Video 0: 5 users, 1: 4, 2: 3, 3: 2 (under minUsers 3), 4: none.
    const pairs: [number, number][] = []
    ;[5, 4, 3, 2].forEach((count, item) => {
      for (let u = 0; u < count; u++) pairs.push([item, u])
    })
    const m = engagements(5, 6, pairs)
    expect(headRows(m, { minUsers: 3, items: 10 })).toEqual([0, 1, 2])
    expect(headRows(m, { minUsers: 3, items: 2 })).toEqual([0, 1])
    const lists = buildHeadNeighbours(m, 10, { minUsers: 3, items: 2, lambda: 1 })
    expect([...lists.keys()].sort()).toEqual([0, 1])
    expect(lists.get(0)?.map((n) => n.index)).toEqual([1])
  })

  it('ranks what the same viewers watched first, best scaled to 1, and weighs out what is redundant', () => {
    // Users 0-5 watched videos 0 and 1 together; users 6-9 watched 0 and 2; 2 and 3 always
    // go together (users 6-9 and 10-11), so 3 adds nothing to 0 that 2 does not say.
    const pairs: [number, number][] = []
    for (let u = 0; u < 6; u++) pairs.push([0, u], [1, u])
    for (let u = 6; u < 10; u++) pairs.push([0, u], [2, u], [3, u])
    for (let u = 10; u < 12; u++) pairs.push([2, u], [3, u])
    const lists = buildHeadNeighbours(engagements(4, 12, pairs), 10, { minUsers: 3, lambda: 1 })
    const ofZero = lists.get(0) ?? []
    expect(ofZero[0]).toEqual({ index: 1, score: 1 })
    // 2 and 3 explain each other, so neither pushes 0 as strongly as 1 does.
    expect(ofZero.every((n) => n.score <= 1)).toBe(true)
    const ofTwo = lists.get(2) ?? []
    expect(ofTwo[0]?.index).toBe(3)
    // Nothing links 1 and 3 but 0 and 2: a list only keeps positive weights.
    for (const list of lists.values()) for (const n of list) expect(n.score).toBeGreaterThan(0)
  })

  it('round-trips through its binary form', () => {
    const lists = new Map([
      [
        7,
        [
          { index: 3, score: 1 },
          { index: 9, score: 0.25 },
        ],
      ],
      [2, [{ index: 7, score: 1 }]],
      [11, []],
    ])
    const decoded = decodeHeadNeighbours(encodeHeadNeighbours(lists))
    expect(decoded).toEqual(lists)
    expect(() => decodeHeadNeighbours(new Uint8Array(16))).toThrow(/head neighbour/)
  })

  it('gives the head its lists in the rebuild; the rest keep the walk', () => {
    const items = randomCatalogue(3, 40)
    const interactions: Interaction[] = []
    // Videos 0-9 are watched by many users (the head), 30-39 by two each.
    for (let u = 0; u < 30; u++) {
      for (let v = 0; v < 10; v++) {
        if ((u + v) % 3 !== 0) {
          interactions.push({ userId: `u${u}`, itemId: items[v]?.id ?? '', kind: 'like', at: 1 })
        }
      }
    }
    for (let v = 30; v < 40; v++) {
      for (const u of [0, 1]) {
        interactions.push({ userId: `u${u}`, itemId: items[v]?.id ?? '', kind: 'like', at: 1 })
      }
    }
    const options = { now: 2, head: { items: 10, minUsers: 3 } }
    const withHead = rebuildRecommendations(items, interactions, options)
    const walkOnly = rebuildRecommendations(items, interactions, { ...options, head: { items: 0 } })
    const headIds = new Set(items.slice(0, 10).map((i) => i.id))
    const first = items[0]?.id ?? ''
    const list = withHead.neighbours.get(first) ?? []
    expect(list.length).toBeGreaterThan(0)
    // Head lists hold head videos only, and differ from the walk's.
    expect(list.every((n) => headIds.has(n.itemId))).toBe(true)
    expect(list).not.toEqual(walkOnly.neighbours.get(first))
    const tail = items[35]?.id ?? ''
    expect(withHead.neighbours.get(tail)).toEqual(walkOnly.neighbours.get(tail))
  })
})
