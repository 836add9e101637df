import { describe, expect, it } from 'vitest'
import { buildCoEngagementModel, createCoEngagementBuilder } from './collaborative'
import { buildContentModel } from './content'
import {
  buildSimilarityIndex,
  decodeSimilarityIndex,
  encodeSimilarityIndex,
  findNeighbours,
  orderForLocality,
  planNeighbourBatches,
  prepareNeighbourSearch,
} from './similarity'
import { createRng } from './random'
import {
  buildSparseMatrix,
  keepLargestPerRow,
  prepareRowSearch,
  rowDot,
  similarRows,
  transpose,
  type SparseMatrix,
} from './sparse'
import { item, randomCatalogue, randomInteractions } from './testCatalogue'

function bruteForce(m: SparseMatrix, row: number, k: number, shrinkage: number) {
  const all: Array<{ index: number; score: number }> = []
  for (let other = 0; other < m.rowCount; other++) {
    if (other === row) continue
    const { dot, shared } = rowDot(m, row, m, other)
    const score = shrinkage > 0 ? (dot * shared) / (shared + shrinkage) : dot
    if (score >= 1e-6) all.push({ index: other, score })
  }
  return all.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k)
}

function expectSameTopK(
  got: Array<{ index: number; score: number }>,
  want: Array<{ index: number; score: number }>,
  m: SparseMatrix,
  row: number,
) {
  expect(got.map((n) => n.score)).toEqual(want.map((n) => expect.closeTo(n.score, 5)))
  // Ties may order differently in the last float bit; every returned item must really have
  // the score it claims.
  for (const n of got) expect(rowDot(m, row, m, n.index).dot).toBeGreaterThan(0)
}

describe('sparse top-K', () => {
  it('builds CSR with summed duplicates and transposes', () => {
    const m = buildSparseMatrix(2, 3, [1, 0, 1, 1], [2, 1, 0, 2], [1, 2, 3, 4])
    expect([...m.rowStart]).toEqual([0, 1, 3])
    expect([...m.columns]).toEqual([1, 0, 2])
    expect([...m.values]).toEqual([2, 3, 5])
    const t = transpose(m)
    expect([...t.rowStart]).toEqual([0, 1, 2, 3])
    expect([...t.columns]).toEqual([1, 0, 1])
  })

  it.each([1, 2, 3, 4, 5])('equals brute force on a random catalogue (seed %i)', (seed) => {
    const m = buildContentModel(randomCatalogue(seed, 120)).matrix
    const search = prepareRowSearch(m, { k: 7, maxDocumentFrequency: 1, maxPostingLength: 1e9 })
    expect(search.exact).toBe(true)
    for (let row = 0; row < m.rowCount; row++) {
      expectSameTopK(similarRows(search, row), bruteForce(m, row, 7, 0), m, row)
    }
  })

  it('rescoring keeps exact scores when posting lists are capped', () => {
    const m = buildContentModel(randomCatalogue(9, 200)).matrix
    const search = prepareRowSearch(m, { k: 5, maxPostingLength: 20, maxDocumentFrequency: 0.2 })
    expect(search.exact).toBe(false)
    for (let row = 0; row < 50; row++) {
      for (const n of similarRows(search, row)) {
        expect(n.score).toBeCloseTo(rowDot(m, row, m, n.index).dot, 6)
      }
    }
  })

  it.each([11, 12, 13])('co-engagement with shrinkage equals brute force (seed %i)', (seed) => {
    const items = randomCatalogue(seed, 80)
    const index = buildSimilarityIndex(items, randomInteractions(seed, items, 40, 600), {
      now: 1000,
    })
    const m = index.coEngagement
    const search = prepareRowSearch(m, {
      k: 6,
      shrinkage: 5,
      maxDocumentFrequency: 1,
      maxPostingLength: 1e9,
    })
    for (let row = 0; row < m.rowCount; row++) {
      expectSameTopK(similarRows(search, row), bruteForce(m, row, 6, 5), m, row)
    }
  })
})

describe('capped rows and candidate pools with ties', () => {
  // Values from four levels, so most rows and candidate pools cut through a run of ties.
  const rng = createRng(31)
  const rows: number[] = []
  const columns: number[] = []
  const values: number[] = []
  for (let r = 0; r < 60; r++) {
    const length = Math.floor(rng() * 40)
    for (let c = 0; c < 50; c++) {
      if (rng() * 50 >= length) continue
      rows.push(r)
      columns.push(c)
      values.push([0.25, 0.5, 1, 2][Math.floor(rng() * 4)] ?? 1)
    }
  }
  const m = buildSparseMatrix(60, 50, rows, columns, values)

  it('caps each row to its largest entries as sorting would, ties to the lower column', () => {
    for (const limit of [0, 1, 3, 7, 20]) {
      const capped = keepLargestPerRow(m, limit)
      for (let r = 0; r < m.rowCount; r++) {
        const entries: number[] = []
        for (let i = m.rowStart[r] ?? 0; i < (m.rowStart[r + 1] ?? 0); i++) entries.push(i)
        const kept = entries
          .sort((a, b) => (m.values[b] ?? 0) - (m.values[a] ?? 0) || a - b)
          .slice(0, limit)
          .sort((a, b) => a - b)
        const from = capped.rowStart[r] ?? 0
        const to = capped.rowStart[r + 1] ?? 0
        expect([...capped.columns.subarray(from, to)]).toEqual(kept.map((i) => m.columns[i]))
        expect([...capped.values.subarray(from, to)]).toEqual(kept.map((i) => m.values[i]))
      }
    }
  })

  it('keeps the best candidates of a search, ties to the lower row', () => {
    for (const k of [1, 4, 9]) {
      const search = prepareRowSearch(m, { k, maxDocumentFrequency: 1, maxPostingLength: 1e9 })
      expect(search.exact).toBe(true)
      for (let row = 0; row < m.rowCount; row++) {
        const all: Array<{ index: number; score: number }> = []
        for (let other = 0; other < m.rowCount; other++) {
          if (other === row) continue
          // Accumulated in Float32 in column order, as the search sums its postings.
          const acc = new Float32Array(1)
          let shared = 0
          for (let i = m.rowStart[row] ?? 0; i < (m.rowStart[row + 1] ?? 0); i++) {
            for (let j = m.rowStart[other] ?? 0; j < (m.rowStart[other + 1] ?? 0); j++) {
              if (m.columns[j] !== m.columns[i]) continue
              acc[0] = (acc[0] ?? 0) + (m.values[i] ?? 0) * (m.values[j] ?? 0)
              shared++
            }
          }
          if (shared > 0 && (acc[0] ?? 0) >= 1e-6) all.push({ index: other, score: acc[0] ?? 0 })
        }
        const want = all.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k)
        expect(similarRows(search, row)).toEqual(want)
      }
    }
  })
})

describe('neighbour batches', () => {
  const items = randomCatalogue(21, 300)
  const interactions = randomInteractions(21, items, 60, 3000)
  const index = buildSimilarityIndex(items, interactions, { now: 1000 })

  it('batched through the encoded index equals one-shot', () => {
    const oneShot = findNeighbours(prepareNeighbourSearch(index), { start: 0, end: items.length })
    const bytes = encodeSimilarityIndex(index)
    const batched = planNeighbourBatches(index.itemIds.length, 64).flatMap((batch) =>
      // Every batch decodes its own copy, as a queue consumer would.
      findNeighbours(prepareNeighbourSearch(decodeSimilarityIndex(bytes)), batch),
    )
    expect(batched).toEqual(oneShot)
    expect(planNeighbourBatches(300, 64).map((b) => b.end - b.start)).toEqual([64, 64, 64, 64, 44])
  })

  it('covers brand-new items by content and never lists the item itself', () => {
    const base = items[0]
    if (!base) throw new Error('empty catalogue')
    // No interactions mention it, so only content can place it.
    const fresh = { ...base, id: 'brand-new', createdAt: 2000 }
    const withFresh = buildSimilarityIndex([...items, fresh], interactions, { now: 1000 })
    // Rows are grouped by category, so the new item sits beside its category, not last.
    const row = withFresh.itemIds.indexOf('brand-new')
    const [result] = findNeighbours(prepareNeighbourSearch(withFresh), {
      start: row,
      end: row + 1,
    })
    expect(result?.itemId).toBe('brand-new')
    expect(result?.neighbours.length).toBeGreaterThan(0)
    expect(result?.neighbours.some((n) => n.itemId === 'brand-new')).toBe(false)
  })

  it('builds co-engagement page by page exactly as in one go', () => {
    const builder = createCoEngagementBuilder(index.itemIds, { now: 1000 })
    for (let start = 0; start < interactions.length; start += 700) {
      builder.add(interactions.slice(start, start + 700))
    }
    const paged = builder.finish()
    const oneShot = buildCoEngagementModel(index.itemIds, interactions, { now: 1000 })
    expect(paged.userIds).toEqual(oneShot.userIds)
    expect([...paged.matrix.columns]).toEqual([...index.coEngagement.columns])
    expect([...paged.matrix.values]).toEqual([...index.coEngagement.values])
  })

  it('leaves unpublished items out of the index', () => {
    const hidden = buildSimilarityIndex(
      items.map((it, i) => (i % 2 === 0 ? { ...it, published: false } : it)),
      interactions,
      { now: 1000 },
    )
    expect(hidden.itemIds.every((id) => Number(id.slice(1)) % 2 === 1)).toBe(true)
  })
})

describe('row order', () => {
  it('groups rows by parent category then category, stable within a group', () => {
    const ordered = orderForLocality([
      item('a', ['sport/run']),
      item('b', ['music/rock']),
      item('c', ['sport/ball']),
      item('d', ['music/rock']),
      item('e', []),
    ])
    expect(ordered.map((i) => i.id)).toEqual(['e', 'b', 'd', 'c', 'a'])
  })
})
