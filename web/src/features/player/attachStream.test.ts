import { describe, expect, it } from 'vitest'
import { DEFAULT_BANDWIDTH, rememberBandwidth, startingBandwidth } from './attachStream'

const withDownlink = (downlink?: number) =>
  ({ connection: downlink === undefined ? undefined : { downlink } }) as unknown as Navigator

describe('the bandwidth a clip starts from', () => {
  it('uses the browser’s estimate, else a default that reaches the 480p rung', () => {
    expect(startingBandwidth(withDownlink(8))).toBe(8_000_000)
    expect(startingBandwidth(withDownlink(0))).toBe(DEFAULT_BANDWIDTH)
    expect(startingBandwidth(withDownlink())).toBe(DEFAULT_BANDWIDTH)
    // hls.js's own default (500 kbit/s) picks 240p; 480p needs about 1.1 Mbit/s.
    expect(DEFAULT_BANDWIDTH).toBeGreaterThan(1_100_000)
  })

  it('then starts every later clip from what the last one measured', () => {
    rememberBandwidth(Number.NaN)
    rememberBandwidth(-1)
    expect(startingBandwidth(withDownlink())).toBe(DEFAULT_BANDWIDTH)
    rememberBandwidth(42_000_000)
    expect(startingBandwidth(withDownlink(2))).toBe(42_000_000)
  })
})
