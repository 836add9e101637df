import { describe, expect, it } from 'vitest'
import { buildContentModel, inverseDocumentFrequency, itemTerms } from './content'
import { rowDot } from './sparse'
import { item } from './testCatalogue'

describe('content TF-IDF', () => {
  // A: music + guitar, B: music + piano, C: sport + guitar. Terms used by two of three items
  // get idf ln(4/3) + 1, terms used once ln(2) + 1.
  const items = [
    item('A', ['music'], ['guitar'], { parentCategories: [] }),
    item('B', ['music'], ['piano'], { parentCategories: [] }),
    item('C', ['sport'], ['guitar'], { parentCategories: [] }),
  ]
  const model = buildContentModel(items)

  it('prefixes and deduplicates terms', () => {
    expect(itemTerms(item('x', ['Music', 'music'], ['music'], { labels: ['OK'] }))).toEqual([
      'cat:music',
      'parent:music',
      'tag:music',
      'label:ok',
    ])
  })

  it('computes smoothed idf', () => {
    const idf = (term: string): number => model.idf[model.vocabulary.indexOf(term)] ?? NaN
    expect(idf('cat:music')).toBeCloseTo(1.2876820724517808, 12)
    expect(idf('tag:piano')).toBeCloseTo(1.6931471805599454, 12)
    expect(inverseDocumentFrequency(3, 3)).toBe(1)
  })

  it('L2-normalises rows and gives hand-checked cosines', () => {
    const m = model.matrix
    for (let r = 0; r < 3; r++) expect(rowDot(m, r, m, r).dot).toBeCloseTo(1, 6)
    // A has two equal weights: 1/sqrt(2) each.
    expect(m.values[0]).toBeCloseTo(Math.SQRT1_2, 6)
    const a = 1.2876820724517808
    const b = 1.6931471805599454
    const expected = (Math.SQRT1_2 * a) / Math.sqrt(a * a + b * b)
    expect(expected).toBeCloseTo(0.428046035, 8)
    expect(rowDot(m, 0, m, 1).dot).toBeCloseTo(expected, 6)
    expect(rowDot(m, 0, m, 2).dot).toBeCloseTo(expected, 6)
    expect(rowDot(m, 1, m, 2).dot).toBe(0)
  })
})
