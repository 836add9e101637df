// The HTTP surface: auth, validation, status, idempotency, FIFO order, and surviving a kill.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { checkLadder } from './checks'
import { startHarness, TOKEN } from './harness'
import type { Harness } from './harness'
import { FIXTURES } from './media'

let harness: Harness

beforeAll(async () => {
  harness = await startHarness(inject('mediaDir'))
})

afterAll(async () => {
  await harness.close()
})

const auth = { authorization: `Bearer ${TOKEN}` }

describe('service surface', () => {
  it('reports health without a token', async () => {
    const response = await fetch(`${harness.transcoder.url}/health`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({ ok: true, frameClassifier: 'unavailable' })
    expect(body.ffmpeg).toMatch(/ffmpeg$/)
    expect(body.ffmpegVersion).toEqual(expect.any(String))
  })

  it('refuses jobs without the right bearer token', async () => {
    const body = harness.receiver.jobBody('unauthorised', FIXTURES.short)
    expect((await harness.post(body, null)).status).toBe(401)
    expect((await harness.post(body, 'wrong')).status).toBe(401)
    expect((await fetch(`${harness.transcoder.url}/jobs/unauthorised`)).status).toBe(401)
    expect(harness.receiver.callbacks.get('unauthorised')).toBeUndefined()
  })

  it('rejects malformed jobs with the one error shape', async () => {
    const response = await harness.post({ jobId: 'bad job', outputUrl: 'ftp://x' })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('invalid_job')
    expect(body.error.message).toContain('outputUrl')
    const missing = await fetch(`${harness.transcoder.url}/jobs/nobody`, { headers: auth })
    expect(missing.status).toBe(404)
  })

  it('runs jobs one at a time in FIFO order and never twice', async () => {
    const ids = ['fifo-a', 'fifo-b', 'fifo-c']
    for (const id of ids) await harness.post(harness.receiver.jobBody(id, FIXTURES.short))
    // A repeat while queued or running returns the current state and starts nothing.
    const repeat = await harness.post(harness.receiver.jobBody('fifo-a', FIXTURES.short))
    expect(repeat.status).toBe(202)
    expect(await repeat.json()).toMatchObject({ jobId: 'fifo-a' })
    const waiting = await fetch(`${harness.transcoder.url}/jobs/fifo-c`, { headers: auth })
    expect(await waiting.json()).toMatchObject({ state: 'queued', percent: 0 })

    await harness.receiver.waitForFinal('fifo-c')
    // Each job's master playlist is its last upload: their order is the order jobs finished.
    const finishedAt = ids.map(
      (id) => harness.receiver.objects.get(id)?.get('hls/master.m3u8')?.order ?? -1,
    )
    expect(finishedAt).toEqual([...finishedAt].sort((a, b) => a - b))
    const first = harness.receiver.callbacks.get('fifo-a') ?? []
    expect(first.filter((call) => call.body.type === 'completed')).toHaveLength(1)
  })

  it('re-sends the final callback for a finished job without running it again', async () => {
    const body = harness.receiver.jobBody('repeat', FIXTURES.short)
    await harness.post(body)
    const original = await harness.receiver.waitForFinal('repeat')
    const puts = harness.receiver.putCount.get('repeat')
    const again = await harness.post({ ...body, callbackToken: 'rotated-token' })
    expect(await again.json()).toEqual({ jobId: 'repeat', state: 'completed' })
    const resent = await harness.receiver.waitForFinal('repeat', 2)
    expect(resent).toEqual(original)
    expect(harness.receiver.callbacks.get('repeat')?.at(-1)?.authorization).toBe(
      'Bearer rotated-token',
    )
    expect(harness.receiver.putCount.get('repeat')).toBe(puts)
  })

  it('retries a final callback the Worker answered with 503', async () => {
    harness.receiver.failNext('final:flaky-callback', 2)
    await harness.post(harness.receiver.jobBody('flaky-callback', FIXTURES.short))
    expect(await harness.receiver.waitForFinal('flaky-callback')).toMatchObject({
      type: 'completed',
    })
  })

  it('runs a job again when it failed for a retryable reason', async () => {
    // Three 503s exhaust the download's retries: the job fails, but retryably.
    harness.receiver.failNext('source:flaky-source', 3)
    const body = harness.receiver.jobBody('flaky-source', FIXTURES.short)
    await harness.post(body)
    expect(await harness.receiver.waitForFinal('flaky-source')).toMatchObject({
      type: 'failed',
      code: 'source_unavailable',
      retryable: true,
    })
    expect(harness.receiver.objects.get('flaky-source')).toBeUndefined()
    await harness.post(body)
    expect(await harness.receiver.waitForFinal('flaky-source', 2)).toMatchObject({
      type: 'completed',
    })
  })
})

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function startProcess(port: number, workRoot: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      PORT: String(port),
      TMPDIR: workRoot,
      TRANSCODER_TOKEN: TOKEN,
      FRAME_CLASSIFIER: 'off',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
      if (output.includes('"transcoder_listening"')) resolve(child)
    })
    child.once('exit', (code) => reject(new Error(`transcoder exited ${code}: ${output}`)))
  })
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

// tsx keeps its own cache in TMPDIR too; only the job directories matter here.
async function jobDirs(workRoot: string): Promise<string[]> {
  return (await readdir(workRoot)).filter((name) => name.startsWith('clipstream-job-'))
}

async function waitForFile(dir: string, relative: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    for (const name of await readdir(dir)) {
      if (existsSync(path.join(dir, name, relative))) return
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`${relative} never appeared`)
}

describe('a transcoder killed mid-job', () => {
  it('finishes the job completely when the same job id is posted after a restart', async () => {
    const workRoot = await mkdtemp(path.join(tmpdir(), 'clipstream-kill-'))
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const body = harness.receiver.jobBody('killed', FIXTURES.hd)
    const post = (): Promise<Response> =>
      fetch(`${url}/jobs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    try {
      const first = await startProcess(port, workRoot)
      expect((await post()).status).toBe(202)
      // ffmpeg has written its first segment: the job is mid-transcode.
      await waitForFile(workRoot, 'hls/240p/seg_000.ts', 30_000)
      first.kill('SIGKILL')
      await exited(first)
      expect(await jobDirs(workRoot)).toHaveLength(1)
      expect(harness.receiver.objects.get('killed')).toBeUndefined()

      const second = await startProcess(port, workRoot)
      expect(await jobDirs(workRoot)).toEqual([])
      expect((await fetch(`${url}/jobs/killed`, { headers: auth })).status).toBe(404)
      expect((await post()).status).toBe(202)
      const final = await harness.receiver.waitForFinal('killed')
      if (final.type !== 'completed') throw new Error(JSON.stringify(final))
      expect(final.result.renditions.map((r) => [r.name, r.width, r.height, r.segments])).toEqual([
        ['240p', 426, 240, 2],
        ['480p', 854, 480, 2],
        ['720p', 1280, 720, 2],
      ])
      await checkLadder(harness, 'killed', final.result)
      const stored = harness.receiver.objects.get('killed') ?? new Map()
      expect(stored.has('hls/master.m3u8')).toBe(true)
      expect(stored.size).toBe(1 + 3 * 3 + 2 + final.result.frames.length)

      second.kill('SIGTERM')
      expect(await exited(second)).toBe(0)
    } finally {
      await rm(workRoot, { recursive: true, force: true })
    }
  })
})
