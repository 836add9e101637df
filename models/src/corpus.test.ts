import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadUnseenWriters, TEAM_TRAIN_DIR, UNSEEN_WRITERS_DIR } from './corpus'

describe('writers nobody trained on', () => {
  it('load as their own sources, outside the training folder', () => {
    const rows = loadUnseenWriters()
    expect(rows.length).toBeGreaterThan(1000)
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(['unseen-short-p']))
    // A file moved back into training must leave this folder (the training reads every
    // .jsonl of team-train/).
    const training = new Set(readdirSync(TEAM_TRAIN_DIR))
    for (const file of readdirSync(UNSEEN_WRITERS_DIR).filter((f) => f.endsWith('.jsonl'))) {
      expect(training.has(file), file).toBe(false)
    }
  })
})
