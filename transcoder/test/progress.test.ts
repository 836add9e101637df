// Progress a creator can watch: a 720p clip long enough to take several seconds to encode must
// move the bar through the transcoding span (12-80%) in small steps, not sit at 12% and jump.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ReceivedCallback } from './receiver'
import { startHarness } from './harness'
import type { Harness } from './harness'

const SECONDS = 15
const FIXTURE = 'progress-720p.mp4'

let harness: Harness

beforeAll(async () => {
  const mediaDir = inject('mediaDir')
  // Made here rather than in the global setup so only this file pays for a 720p source.
  await promisify(execFile)('nice', [
    ...['-n', '10', 'ffmpeg', '-v', 'error', '-nostdin', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=30:duration=${SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    path.join(mediaDir, FIXTURE),
  ])
  harness = await startHarness(mediaDir)
})

afterAll(async () => {
  await harness.close()
})

describe('progress callbacks', () => {
  it(`a ${SECONDS} s 720p clip advances through transcoding in steps`, async () => {
    const response = await harness.post(harness.receiver.jobBody('progress', FIXTURE))
    expect(response.status).toBe(202)
    const final = await harness.receiver.waitForFinal('progress', 1, 170_000)
    expect(final.type).toBe('completed')

    const calls = harness.receiver.callbacks.get('progress') ?? []
    const progress = calls.flatMap((call) => (call.body.type === 'progress' ? [call.body] : []))
    const timeline = progress.map((p) => `${p.stage} ${p.percent}`).join(', ')
    for (const [i, update] of progress.entries()) {
      expect(update.percent, timeline).toBeGreaterThanOrEqual(progress[i - 1]?.percent ?? 0)
    }
    // Before the sprite left the main pass, ffmpeg printed no progress until the encode was
    // over: "transcoding 12, transcoding 80" and nothing in between.
    const between = new Set(
      progress
        .filter((p) => p.stage === 'transcoding' && p.percent > 12 && p.percent < 80)
        .map((p) => p.percent),
    )
    expect(between.size, timeline).toBeGreaterThanOrEqual(3)

    // No long silence while ffmpeg works: from the first transcoding update to the last
    // callback of the encode, updates come at least every few seconds (throttled to one a
    // second; generous for a loaded machine).
    const encoding: ReceivedCallback[] = calls.filter(
      (call) => call.body.type === 'progress' && call.body.stage === 'transcoding',
    )
    const gaps = encoding
      .slice(1)
      .map((call, i) => call.receivedAt - (encoding[i]?.receivedAt ?? 0))
    expect(Math.max(...gaps), timeline).toBeLessThan(5000)
  }, 180_000)
})
