// Happy paths: real tiny media through the real HTTP server, outputs checked with ffprobe.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CallbackBody, JobResult } from '../src/contract'
import { planFrameTimes } from '../src/media/ladder'
import { startHarness } from './harness'
import type { Harness } from './harness'
import { checkLadder } from './checks'
import { FIXTURES } from './media'
import type { FixtureName } from './media'

let harness: Harness
const HAPPY: FixtureName[] = [
  'landscape',
  'vertical',
  'rotated',
  'silent',
  'short',
  'long',
  'anamorphic',
  'recorded',
]

beforeAll(async () => {
  harness = await startHarness(inject('mediaDir'), { TRANSCODER_CONCURRENCY: '2' })
  for (const name of HAPPY) {
    const response = await harness.post(harness.receiver.jobBody(name, FIXTURES[name]))
    expect(response.status).toBe(202)
  }
})

afterAll(async () => {
  await harness.close()
})

async function completed(jobId: string): Promise<JobResult> {
  const final = await harness.receiver.waitForFinal(jobId)
  if (final.type !== 'completed') throw new Error(`${jobId} ended ${JSON.stringify(final)}`)
  return final.result
}

function checkFrames(result: JobResult): void {
  const interval = result.probe.durationSeconds < 25 ? 1 : 5
  const times = result.frames.map((frame) => frame.timeSeconds)
  expect(times).toEqual(planFrameTimes(result.probe.durationSeconds).slice(0, times.length))
  expect(times.length).toBeGreaterThanOrEqual(Math.floor(result.probe.durationSeconds / interval))
  expect(times.every((time) => time < result.probe.durationSeconds)).toBe(true)
  // This server runs without the model: frames are listed, unscored, for human review.
  expect(result.frameClassifier).toBeNull()
  expect(result.frames.every((frame) => frame.scores === null)).toBe(true)
}

function progressOf(jobId: string): Array<Extract<CallbackBody, { type: 'progress' }>> {
  const list = harness.receiver.callbacks.get(jobId) ?? []
  return list.flatMap((c) => (c.body.type === 'progress' ? [c.body] : []))
}

describe('transcoding tiny real media', () => {
  it('landscape 320x180 with sound: one rung at its own size, 2 segments', async () => {
    const result = await completed('landscape')
    expect(result.probe).toMatchObject({
      width: 320,
      height: 180,
      rotation: 0,
      container: 'mp4',
      videoCodec: 'h264',
      audioCodec: 'aac',
      hasAudio: true,
      frameRate: 15,
    })
    expect(result.probe.durationSeconds).toBeCloseTo(5, 0)
    expect(result.renditions.map((r) => [r.name, r.width, r.height, r.segments])).toEqual([
      ['240p', 320, 180, 2],
    ])
    await checkLadder(harness, 'landscape', result)
    checkFrames(result)
    expect(result.frames).toHaveLength(5)
    const frames = harness.receiver.objects.get('landscape')
    for (const frame of result.frames)
      expect(frames?.get(frame.path)?.contentType).toBe('image/jpeg')
  })

  it('vertical 180x320 stays vertical', async () => {
    const result = await completed('vertical')
    expect(result.probe).toMatchObject({ width: 180, height: 320, rotation: 0 })
    expect(result.renditions.map((r) => [r.width, r.height])).toEqual([[180, 320]])
    await checkLadder(harness, 'vertical', result)
  })

  it('a landscape stream with rotation metadata comes out vertical', async () => {
    const result = await completed('rotated')
    expect(result.probe).toMatchObject({ width: 180, height: 320, rotation: 90 })
    expect(result.renditions.map((r) => [r.width, r.height])).toEqual([[180, 320]])
    await checkLadder(harness, 'rotated', result)
  })

  it('a silent clip has no audio anywhere', async () => {
    const result = await completed('silent')
    expect(result.probe).toMatchObject({ hasAudio: false, audioCodec: null })
    await checkLadder(harness, 'silent', result)
  })

  it('a 2 s clip: one segment, 2 frames, monotonic progress', async () => {
    const result = await completed('short')
    expect(result.renditions[0]?.segments).toBe(1)
    await checkLadder(harness, 'short', result)
    expect(result.frames.map((frame) => frame.timeSeconds)).toEqual([0, 1])
    const progress = progressOf('short')
    expect(progress.length).toBeGreaterThan(0)
    for (const [i, update] of progress.entries()) {
      expect(Number.isInteger(update.percent)).toBe(true)
      expect(update.percent).toBeGreaterThanOrEqual(progress[i - 1]?.percent ?? 0)
      expect(update.percent).toBeLessThanOrEqual(100)
    }
    const calls = harness.receiver.callbacks.get('short') ?? []
    expect(calls.every((call) => call.authorization === 'Bearer token-short')).toBe(true)
    expect(calls.at(-1)?.body.type).toBe('completed')
  })

  it('non-square pixels come out at the picture size people see', async () => {
    const result = await completed('anamorphic')
    expect(result.probe).toMatchObject({ width: 320, height: 180 })
    expect(result.renditions.map((r) => [r.width, r.height])).toEqual([[320, 180]])
    await checkLadder(harness, 'anamorphic', result)
  })

  it('a browser recording without a stated duration is measured from its packets', async () => {
    const result = await completed('recorded')
    expect(result.probe).toMatchObject({
      container: 'webm',
      videoCodec: 'vp8',
      audioCodec: 'opus',
      width: 320,
      height: 240,
    })
    expect(Math.abs(result.probe.durationSeconds - 3)).toBeLessThan(0.2)
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([['240p', 320, 240]])
    await checkLadder(harness, 'recorded', result)
  })

  it('26 s: one moderation frame every 5 s', async () => {
    const result = await completed('long')
    checkFrames(result)
    expect(result.frames.map((frame) => frame.timeSeconds)).toEqual([0, 5, 10, 15, 20, 25])
    expect(result.renditions[0]?.segments).toBe(7)
    await checkLadder(harness, 'long', result)
  })
})
