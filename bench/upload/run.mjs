// Upload throughput: a 200 MB file sent as R2 multipart parts through the
// local Worker (wrangler dev: signed part URLs, Miniflare's R2 on disk),
// against copying the same file on disk (the physical limit here). Prints JSON.
// (Byte-identity of the assembled object is checked by the uploads tests.)
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, startService, stopServices, waitFor } from '../../scripts/lib.mjs'

const MB = 1024 * 1024
const SIZE = Number(process.env.BENCH_UPLOAD_MB ?? 200) * MB
const PORT = 8784
const BASE = `http://127.0.0.1:${PORT}`
const CONCURRENCY = Number(process.env.BENCH_UPLOAD_CONCURRENCY ?? 3)

const work = mkdtempSync(join(tmpdir(), 'clipstream-bench-upload-'))
try {
  // Incompressible bytes behind an MP4 signature (the server sniffs the head).
  const file = randomBytes(SIZE)
  file.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d], 0)
  const source = join(work, 'source.mp4')
  writeFileSync(source, file)

  const t0 = performance.now()
  execFileSync('cp', [source, join(work, 'copy.mp4')])
  execFileSync('sync')
  const copySeconds = (performance.now() - t0) / 1000

  const state = join(work, 'state')
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], {
    stdio: 'ignore',
  })
  startService(
    'bench-worker',
    'npx',
    [
      'wrangler',
      'dev',
      '--port',
      String(PORT),
      '--log-level',
      'error',
      '--persist-to',
      state,
      '--var',
      `PUBLIC_URL:${BASE}`,
      '--var',
      `APP_ORIGIN:${BASE}`,
    ],
    { quiet: true },
  )
  await waitFor(`${BASE}/api/health/live`, { what: 'wrangler dev' })
  const headers = { 'Content-Type': 'application/json', Origin: BASE }
  const reg = await fetch(`${BASE}/api/auth/register`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      username: 'bench_upload',
      email: 'bench-upload@example.test',
      password: 'bench-password',
    }),
  })
  const cookie = /cs_session=[^;]+/.exec(reg.headers.get('set-cookie') ?? '')?.[0] ?? ''
  const created = await (
    await fetch(`${BASE}/api/uploads`, {
      method: 'POST',
      headers: { ...headers, Cookie: cookie },
      body: JSON.stringify({
        title: 'Bench',
        fileName: 'bench.mp4',
        sizeBytes: SIZE,
        contentType: 'video/mp4',
      }),
    })
  ).json()
  const plan = created.upload
  const started = performance.now()
  let next = 0
  async function sender() {
    while (next < plan.parts.length) {
      const part = plan.parts[next++]
      const start = (part.partNumber - 1) * plan.partSize
      const res = await fetch(`${BASE}${part.url}`, {
        method: 'PUT',
        body: file.subarray(start, Math.min(SIZE, start + plan.partSize)),
      })
      if (!res.ok) throw new Error(`part ${part.partNumber}: ${res.status}`)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, sender))
  const uploadSeconds = (performance.now() - started) / 1000
  const complete = await fetch(`${BASE}/api/uploads/${plan.videoId}/complete`, {
    method: 'POST',
    headers: { ...headers, Cookie: cookie },
  })
  const completeSeconds = (performance.now() - started) / 1000
  console.log(
    JSON.stringify(
      {
        bench: 'upload',
        sizeMB: SIZE / MB,
        parts: plan.partCount,
        partSizeMB: plan.partSize / MB,
        concurrency: CONCURRENCY,
        diskCopy: { seconds: +copySeconds.toFixed(2), MBps: +(SIZE / MB / copySeconds).toFixed(1) },
        workerMultipart: {
          partsSeconds: +uploadSeconds.toFixed(2),
          withCompleteSeconds: +completeSeconds.toFixed(2),
          MBps: +(SIZE / MB / completeSeconds).toFixed(1),
          completeStatus: complete.status,
        },
        ratioToDiskCopy: +(copySeconds / completeSeconds).toFixed(3),
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(work, { recursive: true, force: true })
}
