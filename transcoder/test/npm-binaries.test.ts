// `npm start` must work on a machine without ffmpeg: the same jobs with the npm-shipped binaries.
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { checkLadder } from './checks'
import { startHarness } from './harness'
import type { Harness } from './harness'
import { FIXTURES } from './media'

const require = createRequire(import.meta.url)
const shipped = (name: string, binary: string): string =>
  path.join(path.dirname(require.resolve(`${name}/package.json`)), binary)

let harness: Harness

beforeAll(async () => {
  harness = await startHarness(inject('mediaDir'), {
    FFMPEG_PATH: shipped('@ffmpeg-installer/linux-x64', 'ffmpeg'),
    FFPROBE_PATH: shipped('@ffprobe-installer/linux-x64', 'ffprobe'),
  })
})

afterAll(async () => {
  await harness.close()
})

it('transcodes a rotated clip with the npm-shipped ffmpeg and ffprobe', async () => {
  const health = await fetch(`${harness.transcoder.url}/health`)
  expect(await health.json()).toMatchObject({ ffmpeg: expect.stringContaining('node_modules') })
  await harness.post(harness.receiver.jobBody('npm-rotated', FIXTURES.rotated))
  const final = await harness.receiver.waitForFinal('npm-rotated')
  if (final.type !== 'completed') throw new Error(JSON.stringify(final))
  expect(final.result.probe).toMatchObject({ width: 180, height: 320, rotation: 90 })
  await checkLadder(harness, 'npm-rotated', final.result)
})

it('still rejects a truncated upload', async () => {
  await harness.post(harness.receiver.jobBody('npm-truncated', FIXTURES.truncated))
  expect(await harness.receiver.waitForFinal('npm-truncated')).toMatchObject({ code: 'truncated' })
})
