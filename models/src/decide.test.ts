import { describe, expect, it } from 'vitest'
import { decide, type Thresholds } from './decide'
import { LABELS, type Label } from './labels'

const thresholds: Thresholds = {
  S: { hold: 0.4, reject: 0.9 },
  H: { hold: 0.5, reject: null },
  V: { hold: 0.3, reject: 0.8 },
  HR: { hold: 0.5, reject: 0.85 },
  SH: { hold: 0.2, reject: null },
  S3: { hold: 0.4, reject: null },
  H2: { hold: 0.5, reject: null },
  V2: { hold: null, reject: null },
}

function scores(values: Partial<Record<Label, number>>): number[] {
  return LABELS.map((l) => values[l] ?? 0)
}

describe('decide', () => {
  it('publishes when no label reaches its hold threshold (OK)', () => {
    const r = decide(scores({ H: 0.49, V: 0.29, HR: 0.1 }), thresholds)
    expect(r.decision).toBe('published')
    expect(r.flagged).toEqual([])
    expect(r.scores.H).toBe(0.49)
  })

  it('holds at exactly the hold threshold, with a readable reason', () => {
    const r = decide(scores({ HR: 0.5 }), thresholds)
    expect(r.decision).toBe('held')
    expect(r.flagged).toEqual([{ category: 'HR', score: 0.5, level: 'hold' }])
    expect(r.reason).toBe('Held for review: likely harassment (0.50)')
  })

  it('rejects at the reject threshold and lists every flag by score', () => {
    const r = decide(scores({ V: 0.95, HR: 0.6 }), thresholds)
    expect(r.decision).toBe('rejected')
    expect(r.flagged.map((f) => [f.category, f.level])).toEqual([
      ['V', 'reject'],
      ['HR', 'hold'],
    ])
    expect(r.reason).toBe('Rejected: clearly violence or threats (0.95)')
  })

  it('never rejects a label whose reject threshold is null', () => {
    const r = decide(scores({ H: 0.999 }), thresholds)
    expect(r.decision).toBe('held')
  })

  it('never flags a label whose thresholds are both null', () => {
    expect(decide(scores({ V2: 1 }), thresholds).decision).toBe('published')
  })

  it('S3 always goes to human review, even over a reject', () => {
    const r = decide(scores({ S: 0.95, S3: 0.95 }), thresholds)
    expect(r.decision).toBe('held')
    expect(r.flagged.find((f) => f.category === 'S3')?.level).toBe('hold')
    expect(r.reason).toMatch(/^Held for mandatory human review/)
  })

  it('derives S3 from S when the caller passes a minor signal', () => {
    expect(decide(scores({ S: 0.5 }), thresholds).flagged.map((f) => f.category)).toEqual(['S'])
    const r = decide(scores({ S: 0.5 }), thresholds, { minor: true })
    expect(r.decision).toBe('held')
    expect(r.flagged.map((f) => f.category).sort()).toEqual(['S', 'S3'])
  })

  it('S3 falls back to the S hold threshold when its own is null', () => {
    const t = { ...thresholds, S3: { hold: null, reject: null } }
    expect(decide(scores({ S3: 0.41 }), t).decision).toBe('held')
  })

  it('accepts a record and treats missing or non-finite scores as 0', () => {
    const r = decide({ HR: Number.NaN, H: 0.7 }, thresholds)
    expect(r.scores.HR).toBe(0)
    expect(r.flagged.map((f) => f.category)).toEqual(['H'])
  })
})
