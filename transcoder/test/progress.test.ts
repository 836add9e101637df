// Progress a creator can watch: a 720p clip long enough to take several seconds to encode must
// move the bar through the transcoding span (12-80%) in small steps, not sit at 12% and jump;
// ffmpeg's own reports and the download must move from their start.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { downloadSource } from '../src/jobs/transfer'
import { inspectSource } from '../src/media/inspect'
import { resolveMediaTools, runFfmpeg } from '../src/media/ffmpeg'
import { SPRITE_TILES_DIR, planOutputs, transcodeCommand } from '../src/media/ladder'
import type { ReceivedCallback } from './receiver'
import { startHarness } from './harness'
import type { Harness } from './harness'

const SECONDS = 15
const FIXTURE = 'progress-720p.mp4'
const LONG_SECONDS = 26
const LONG_FIXTURE = 'progress-480p-long.mp4'

let harness: Harness

async function makeClip(size: string, seconds: number, out: string): Promise<void> {
  await promisify(execFile)('nice', [
    ...['-n', '10', 'ffmpeg', '-v', 'error', '-nostdin', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=${seconds}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'],
    out,
  ])
}

beforeAll(async () => {
  const mediaDir = inject('mediaDir')
  // Made here rather than in the global setup so only this file pays for these sources.
  await makeClip('1280x720', SECONDS, path.join(mediaDir, FIXTURE))
  // From 25 s on, moderation stills are 5 s apart.
  await makeClip('854x480', LONG_SECONDS, path.join(mediaDir, LONG_FIXTURE))
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

  it(`ffmpeg's reports on a ${LONG_SECONDS} s clip start at once and each go further`, async () => {
    const tools = resolveMediaTools({ ffmpegPath: null, ffprobePath: null })
    const source = path.join(inject('mediaDir'), LONG_FIXTURE)
    const probe = await inspectSource(tools, source, 180)
    const plan = planOutputs(probe)
    const workDir = await mkdtemp(path.join(harness.workRoot, 'direct-'))
    try {
      await mkdir(path.join(workDir, 'frames'))
      await mkdir(path.join(workDir, SPRITE_TILES_DIR))
      for (const rung of plan.rungs) {
        await mkdir(path.join(workDir, 'hls', rung.name), { recursive: true })
      }
      const reports: number[] = []
      await runFfmpeg(tools, transcodeCommand(source, probe, plan, workDir), {
        durationSeconds: probe.durationSeconds,
        onProgress: (percent) => reports.push(percent),
      })
      // ffmpeg says nothing until every output has had a frame, then reports every 0.5 s, its
      // clock being the furthest end time of any output. The poster used to get its first frame
      // at 1 s, and a moderation still lasted its whole 5 s interval: the first reports said
      // 1 s (3.9%), or 5 s (19%) over and over, however little was encoded.
      const seen = reports.map((percent) => percent.toFixed(1)).join(' ')
      expect(reports[0], seen).toBeLessThan((100 * 0.5) / LONG_SECONDS)
      const first = reports.slice(0, 3)
      expect(first, seen).toHaveLength(3)
      for (const [i, percent] of first.entries()) {
        if (i > 0) expect(percent, seen).toBeGreaterThan(first[i - 1] ?? 0)
      }
      expect(reports.at(-1)).toBe(100)
    } finally {
      await rm(workDir, { recursive: true, force: true })
    }
  }, 120_000)

  it('the download reports the share of the source received', async () => {
    const source = path.join(inject('mediaDir'), FIXTURE)
    const destination = path.join(harness.workRoot, 'downloaded.mp4')
    const fractions: number[] = []
    const url = `${harness.receiver.url}/source/${FIXTURE}?job=download`
    const bytes = await downloadSource(url, destination, 1e9, new AbortController().signal, (f) =>
      fractions.push(f),
    )
    expect(bytes).toBe((await stat(source)).size)
    expect(fractions.length).toBeGreaterThan(3)
    expect(fractions.every((f, i) => f > (fractions[i - 1] ?? 0) && f <= 1)).toBe(true)
    expect(fractions.at(-1)).toBe(1)
  })
})
