// Moderation benchmark on the local default (no Gemini key): the frame
// classifier's time per frame (warm, on frames cut from a generated clip), and
// the end-to-end time from "upload complete" to the moderation decision for a
// 30 s 1080p clip on the platform as `npm start` runs it. Prints JSON.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createFrameClassifier } from '../../transcoder/src/frames/classifier'
import { silentLogger } from '../../transcoder/src/log'
import { makeTestClip, stopServices } from '../../scripts/lib.mjs'
import { startPlatform } from '../../scripts/platform.mjs'

const CLIP_SECONDS = 30
const work = mkdtempSync(path.join(tmpdir(), 'clipstream-bench-moderation-'))

function makeClip(): Buffer {
  const out = path.join(work, 'clip.mp4')
  return readFileSync(makeTestClip(out, { size: '1920x1080', rate: 30, seconds: CLIP_SECONDS }))
}

async function frameClassifierMs() {
  const frames = path.join(work, 'frames')
  execFileSync('mkdir', ['-p', frames])
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    path.join(work, 'clip.mp4'),
    '-vf',
    'fps=1,scale=-2:360',
    path.join(frames, '%04d.jpg'),
  ])
  const classifier = createFrameClassifier({ enabled: true, logger: silentLogger })
  const loadStarted = performance.now()
  await classifier.ready()
  const loadMs = performance.now() - loadStarted
  const files = readdirSync(frames).map((f) => path.join(frames, f))
  const times: number[] = []
  for (const file of files) {
    const t0 = performance.now()
    await classifier.scoreFrame(file)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const pct = (p: number) =>
    times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0
  return {
    frames: files.length,
    modelLoadMs: Math.round(loadMs),
    p50Ms: +pct(50).toFixed(1),
    p99Ms: +pct(99).toFixed(1),
  }
}

async function endToEnd(file: Buffer) {
  const state = path.join(work, 'state')
  const { workerUrl } = await startPlatform({
    workerPort: 8781,
    transcoderPort: 8782,
    persistTo: state,
    admin: false,
    quiet: true,
  })
  const headers = { 'Content-Type': 'application/json', Origin: workerUrl }
  const name = `bench_${Date.now().toString(36)}`
  const reg = await fetch(`${workerUrl}/api/auth/register`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username: name,
      email: `${name}@example.test`,
      password: 'bench-password',
      interests: [],
    }),
  })
  const cookie = /cs_session=[^;]+/.exec(reg.headers.get('set-cookie') ?? '')?.[0] ?? ''
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${workerUrl}${p}`, {
      method,
      headers: { ...headers, Cookie: cookie },
      body: body ? JSON.stringify(body) : undefined,
    })
    return (await res.json()) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  const created = await api('POST', '/api/uploads', {
    title: 'Bench clip',
    fileName: 'bench.mp4',
    sizeBytes: file.byteLength,
    contentType: 'video/mp4',
  })
  const plan = created.upload
  for (const part of plan.parts) {
    const start = (part.partNumber - 1) * plan.partSize
    await fetch(`${workerUrl}${part.url}`, {
      method: 'PUT',
      body: new Uint8Array(file.subarray(start, start + plan.partSize)),
    })
  }
  const started = performance.now()
  await api('POST', `/api/uploads/${plan.videoId}/complete`)
  const marks: Record<string, number> = {}
  let status = 'processing'
  while (['processing', 'moderating'].includes(status) && performance.now() - started < 300_000) {
    await new Promise((r) => setTimeout(r, 250))
    status = (await api('GET', `/api/videos/${plan.videoId}`)).video.status
    marks[status] ??= Math.round(performance.now() - started)
  }
  return {
    clip: `${CLIP_SECONDS} s 1920x1080 with audio, ${(file.byteLength / 1e6).toFixed(1)} MB`,
    finalStatus: status,
    msFromUploadCompleteTo: marks,
  }
}

try {
  const file = makeClip()
  const frameClassifier = await frameClassifierMs()
  const pipeline = await endToEnd(file)
  console.log(
    JSON.stringify(
      {
        bench: 'moderation',
        localDefault: 'frame classifier + text classifier, no Gemini',
        frameClassifier,
        pipeline,
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(work, { recursive: true, force: true })
}
