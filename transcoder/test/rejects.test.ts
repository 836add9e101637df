// Bad uploads end as `failed` with a code for the Worker, a sentence for the creator, and
// nothing written to storage.
import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { FailureCode } from '../src/jobs/failure'
import { startHarness } from './harness'
import type { Harness } from './harness'
import { FIXTURES } from './media'

let harness: Harness

interface Case {
  jobId: string
  file: string
  code: FailureCode
  reason: RegExp
  retryable: boolean
  limits?: { maxDurationSeconds: number }
}

const CASES: Case[] = [
  {
    jobId: 'corrupt',
    file: FIXTURES.corrupt,
    code: 'corrupt',
    reason: /damaged/,
    retryable: false,
  },
  {
    jobId: 'truncated',
    file: FIXTURES.truncated,
    code: 'truncated',
    reason: /upload was cut off/,
    retryable: false,
  },
  {
    jobId: 'truncated-webm',
    file: FIXTURES.truncatedWebm,
    code: 'truncated',
    reason: /upload was cut off/,
    retryable: false,
  },
  { jobId: 'empty', file: FIXTURES.empty, code: 'empty_file', reason: /empty/, retryable: false },
  {
    jobId: 'random',
    file: FIXTURES.random,
    code: 'not_a_video',
    reason: /not a video/,
    retryable: false,
  },
  {
    jobId: 'image',
    file: FIXTURES.image,
    code: 'not_a_video',
    reason: /PNG image, not a video/,
    retryable: false,
  },
  {
    jobId: 'text',
    file: FIXTURES.text,
    code: 'not_a_video',
    reason: /not a video/,
    retryable: false,
  },
  {
    jobId: 'too-long',
    file: FIXTURES.short,
    code: 'too_long',
    reason: /2 seconds long; the limit is 1 seconds/,
    retryable: false,
    limits: { maxDurationSeconds: 1 },
  },
  {
    jobId: 'missing',
    file: 'no-such-upload.mp4',
    code: 'source_unavailable',
    reason: /could not fetch/,
    retryable: false,
  },
]

beforeAll(async () => {
  harness = await startHarness(inject('mediaDir'), { TRANSCODER_CONCURRENCY: '2' })
  for (const { jobId, file, limits } of CASES) {
    const body = harness.receiver.jobBody(jobId, file, limits === undefined ? {} : { limits })
    expect((await harness.post(body)).status).toBe(202)
  }
})

afterAll(async () => {
  await harness.close()
})

describe('inputs that are not usable videos', () => {
  it.each(CASES)('$jobId ends $code with a readable reason and uploads nothing', async (c) => {
    const final = await harness.receiver.waitForFinal(c.jobId)
    expect(final).toMatchObject({
      jobId: c.jobId,
      videoId: `video-${c.jobId}`,
      type: 'failed',
      code: c.code,
      retryable: c.retryable,
    })
    if (final.type !== 'failed') return
    expect(final.reason).toMatch(c.reason)
    // Written for a person: a sentence, no ffmpeg internals.
    expect(final.reason).toMatch(/^[A-Z].*\.$/)
    expect(final.reason).not.toMatch(/ffmpeg|ffprobe|moov|NAL|stderr|Error:/i)
    expect(harness.receiver.objects.get(c.jobId)).toBeUndefined()
    const status = await fetch(`${harness.transcoder.url}/jobs/${c.jobId}`, {
      headers: { authorization: 'Bearer test-transcoder-token' },
    })
    expect(await status.json()).toMatchObject({ jobId: c.jobId, state: 'failed' })
  })

  it('leaves no temp files behind', async () => {
    await Promise.all(CASES.map((c) => harness.receiver.waitForFinal(c.jobId)))
    expect(await readdir(harness.workRoot)).toEqual([])
  })
})
