import { describe, expect, it } from 'vitest'
import { WatchTally } from './watchReport'

describe('watch tally', () => {
  it('counts seconds watched since the last report and the furthest fraction', () => {
    const tally = new WatchTally()
    for (const t of [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]) tally.observe(t, 10)
    expect(tally.take()).toEqual({ fraction: 0.2, seconds: 2 })
    // Nothing new: nothing to send.
    expect(tally.take()).toBeNull()
    for (const t of [2.25, 2.5]) tally.observe(t, 10)
    expect(tally.take()).toEqual({ fraction: 0.25, seconds: 0.5 })
  })

  it('does not count a seek as watching', () => {
    const tally = new WatchTally()
    tally.observe(1, 10)
    tally.observe(8, 10)
    tally.observe(8.5, 10)
    expect(tally.take()).toEqual({ fraction: 0.85, seconds: 0.5 })
    tally.interrupt()
    tally.observe(0, 10)
    tally.observe(0.5, 10)
    // The fraction never goes down when a looping clip starts over.
    expect(tally.take()).toEqual({ fraction: 0.85, seconds: 0.5 })
  })
})
