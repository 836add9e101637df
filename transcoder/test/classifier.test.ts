// The real nsfwjs model on the wasm backend, scoring a job's moderation frames in the job.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { startHarness, TOKEN } from './harness'
import type { Harness } from './harness'
import { FIXTURES } from './media'

let harness: Harness

beforeAll(async () => {
  harness = await startHarness(inject('mediaDir'), { FRAME_CLASSIFIER: 'on' })
})

afterAll(async () => {
  await harness.close()
})

it('scores every moderation frame with nsfwjs loaded from disk', async () => {
  const health = await fetch(`${harness.transcoder.url}/health`)
  expect(await health.json()).toMatchObject({ frameClassifier: 'loading' })

  await harness.post(harness.receiver.jobBody('scored', FIXTURES.short))
  const final = await harness.receiver.waitForFinal('scored')
  if (final.type !== 'completed') throw new Error(JSON.stringify(final))
  const { result } = final
  expect(result.frameClassifier).toEqual({ name: 'nsfwjs', version: '4.3.0', model: 'MobileNetV2' })
  expect(result.frames).toHaveLength(2)
  for (const frame of result.frames) {
    const scores: Record<string, number> = frame.scores ?? {}
    expect(Object.keys(scores).sort()).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'])
    const total = Object.values(scores).reduce((sum, value) => sum + value, 0)
    expect(total).toBeCloseTo(1, 2)
    // A colour-bar test pattern is many things, but not explicit.
    expect(frame.scores?.Porn).toBeLessThan(0.5)
  }
  const stages = (harness.receiver.callbacks.get('scored') ?? []).map((call) => call.body.type)
  expect(stages.at(-1)).toBe('completed')
  const after = await fetch(`${harness.transcoder.url}/health`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  expect(await after.json()).toMatchObject({ frameClassifier: 'ready' })
})
