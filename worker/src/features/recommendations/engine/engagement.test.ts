import { describe, expect, it } from 'vitest'
import { normaliseEngagement, scoreEngagement, type EngagementRecord } from './engagement'
import { DAY_MS } from './types'

const record = (itemId: string, r: Partial<EngagementRecord>): EngagementRecord => ({
  itemId,
  views: 0,
  likes: 0,
  publishedComments: 0,
  watchFractionSum: 0,
  at: 0,
  ...r,
})

describe('engagement', () => {
  it('normalises edge cases without dividing by zero', () => {
    expect(normaliseEngagement([])).toEqual([])
    expect(normaliseEngagement([0])).toEqual([0])
    expect(normaliseEngagement([7])).toEqual([0.5])
    expect(normaliseEngagement([0, 0, 0])).toEqual([0, 0, 0])
    expect(normaliseEngagement([3, 3, 3])).toEqual([0.5, 0.5, 0.5])
    const spread = normaliseEngagement([0, 1, 10, 100])
    expect(spread[0]).toBe(0)
    expect(spread[3]).toBe(1)
    expect(spread.every((v, i) => i === 0 || v > (spread[i - 1] ?? 0))).toBe(true)
  })

  it('clips a viral outlier instead of flattening everyone else', () => {
    const values = [...Array.from({ length: 199 }, (_, i) => i % 10), 1e9]
    const scores = normaliseEngagement(values)
    expect(scores[199]).toBe(1)
    expect(scores[9]).toBeGreaterThan(0.9)
  })

  it('weighs likes 1, comments 2, views 0.5, watch 1 and decays by half-life', () => {
    const now = 10 * DAY_MS
    const { raw } = scoreEngagement(
      ['a', 'b', 'c'],
      [
        record('a', { likes: 1, publishedComments: 1, views: 2, watchFractionSum: 0.5, at: now }),
        record('b', { likes: 4, at: now - 7 * DAY_MS }),
        record('ghost', { likes: 100, at: now }),
      ],
      { now, halfLifeDays: 7 },
    )
    expect(raw.get('a')).toBeCloseTo(1 + 2 + 1 + 0.5, 10)
    expect(raw.get('b')).toBeCloseTo(2, 10)
    expect(raw.get('c')).toBe(0)
    expect(raw.has('ghost')).toBe(false)
  })
})
