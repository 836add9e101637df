import { describe, expect, it } from 'vitest'
import { CALIBRATION, chooseThresholds, countedLabels, type ValRow } from './calibrate'
import { LABELS, labelIndex, type Label } from './labels'

// One validation row: the given scores (others 0), positives as given, every other label 0.
function row(
  scores: Partial<Record<Label, number>>,
  positive: Label[],
  source: string,
  annotatedOnly: boolean,
): ValRow {
  const s = new Float32Array(LABELS.length)
  const t = new Int8Array(LABELS.length)
  for (const [label, score] of Object.entries(scores)) s[labelIndex(label as Label)] = score
  for (const label of positive) t[labelIndex(label)] = 1
  return {
    scores: s,
    targets: t,
    group: positive.length ? null : source.startsWith('team-') ? 'team' : 'public',
    counts: countedLabels(source, { ...CALIBRATION, annotatedOnly }),
  }
}

// Sexual remarks the model scores 0.6-0.9, team negatives low, and a public source's
// "clean" tweets with sexual slang at 0.7-0.95 that its labels say nothing about.
function validation(annotatedOnly: boolean): ValRow[] {
  const rows: ValRow[] = []
  for (let i = 0; i < 40; i++) rows.push(row({ S: 0.6 + i / 130 }, ['S'], 'team-s', annotatedOnly))
  for (let i = 0; i < 200; i++) rows.push(row({ S: i / 1000 }, [], 'team-neg', annotatedOnly))
  for (let i = 0; i < 400; i++) {
    const S = i < 40 ? 0.7 + i / 160 : 0.05
    rows.push(row({ S }, [], 'davidson', annotatedOnly))
  }
  return rows
}

describe('threshold calibration', () => {
  it("a public source's clean rows push only the thresholds of what it annotates", () => {
    expect(countedLabels('davidson', { ...CALIBRATION, annotatedOnly: true })).not.toContain('S')
    expect(countedLabels('convabuse', { ...CALIBRATION, annotatedOnly: true })).toContain('S')
    expect(countedLabels('team-eval', { ...CALIBRATION, annotatedOnly: true })).toContain('S')

    // Counted, davidson's 10% sexual-slang rows (cap 6%) force S up, past half the positives.
    const pushed = chooseThresholds(validation(false))
    expect(pushed.thresholds.S.hold).toBeGreaterThan(0.75)
    // Not counted: S stays near its best-F1 cut, and the team negatives' cap still holds.
    const annotated = chooseThresholds(validation(true))
    expect(annotated.thresholds.S.hold).toBeLessThanOrEqual(0.6)
    expect(annotated.heldRate.team).toBeLessThanOrEqual(CALIBRATION.maxHeldTeam)
  })

  it('the shared budget gives each label the same share of the cap', () => {
    // 1000 team negatives: 30 score high for S; `hrTail` others score high for HR.
    const rows = (hrTail: number): ValRow[] => {
      const out: ValRow[] = []
      for (let i = 0; i < 40; i++) {
        out.push(row({ S: 0.6 + i / 130 }, ['S'], 'team-s', true))
        out.push(row({ HR: 0.6 + i / 130 }, ['HR'], 'team-hr', true))
      }
      for (let i = 0; i < 1000; i++) {
        const S = i < 30 ? 0.5 + i / 100 : 0.01
        const HR = i >= 30 && i < 30 + hrTail ? 0.5 + (i - 30) / (hrTail * 3.3) : 0.01
        out.push(row({ S, HR }, [], 'team-neg', true))
      }
      return out
    }
    // A 1.5% cap, whatever the shipped one is: 15 of the 1000 team negatives.
    const shared = { ...CALIBRATION, maxHeldTeam: 0.015, budget: 'shared' as const }
    const heldBy = (val: ValRow[], label: Label, hold: number) =>
      val.filter((r) => r.group === 'team' && (r.scores[labelIndex(label)] ?? 0) >= hold).length
    // Two labels with the same tail: the cap (15 rows) is split evenly.
    const even = rows(30)
    const a = chooseThresholds(even, shared)
    expect(a.heldRate.team).toBeLessThanOrEqual(shared.maxHeldTeam)
    expect(heldBy(even, 'S', a.thresholds.S.hold ?? 1)).toBe(7)
    expect(heldBy(even, 'HR', a.thresholds.HR.hold ?? 1)).toBe(7)
    // Ten times the HR tail: HR rises and S keeps at least its share; the cap still holds.
    const heavy = rows(300)
    const b = chooseThresholds(heavy, shared)
    expect(b.heldRate.team).toBeLessThanOrEqual(shared.maxHeldTeam)
    expect(b.thresholds.HR.hold ?? 1).toBeGreaterThan(a.thresholds.HR.hold ?? 1)
    expect(heldBy(heavy, 'S', b.thresholds.S.hold ?? 1)).toBeGreaterThanOrEqual(7)
  })
})
