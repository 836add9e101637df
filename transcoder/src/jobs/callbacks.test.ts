import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { silentLogger } from '../log'
import { ProgressReporter } from './callbacks'

const target = {
  jobId: 'job-1',
  videoId: 'v1',
  callbackUrl: 'http://worker.test/callback',
  callbackToken: 'token',
}
const sent: Array<{ stage: string; percent: number }> = []

beforeEach(() => {
  vi.useFakeTimers()
  sent.length = 0
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    sent.push(JSON.parse(String(init.body)) as { stage: string; percent: number })
    return new Response(null, { status: 204 })
  })
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

it('sends at most one progress update a second, monotonic and clamped', async () => {
  const progress = new ProgressReporter(target, silentLogger)
  progress.update('downloading', 0.5)
  await vi.advanceTimersByTimeAsync(0)
  for (let i = 0; i <= 100; i++) {
    progress.update('transcoding', i / 40) // ffmpeg's clock overshoots: clamp at the stage end
    await vi.advanceTimersByTimeAsync(30)
  }
  progress.update('probing', 0) // a late, lower update never moves the bar back
  await vi.advanceTimersByTimeAsync(2000)
  await progress.close()

  // 3 s of updates plus the tail: about four requests, never one per update.
  expect(sent.length).toBeGreaterThanOrEqual(3)
  expect(sent.length).toBeLessThanOrEqual(6)
  const percents = sent.map((body) => body.percent)
  expect(percents).toEqual([...percents].sort((a, b) => a - b))
  expect(Math.max(...percents)).toBe(80)
  expect(sent[0]).toMatchObject({ stage: 'downloading', percent: 5 })
})
