// Comment classifier benchmark inside workerd (wrangler dev, Miniflare):
// cold first call, latency per comment (p50/p99, minus a no-op route on the
// same server), classifications per second, and the size of the production
// Worker bundle with the model (limit: 10 MB compressed). Prints JSON.
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, run, startService, stopServices, waitFor } from '../../scripts/lib.mjs'
import { load } from '../lib.mjs'

const PORT = 8785
const BASE = `http://127.0.0.1:${PORT}`
const COMMENTS = [
  'This recipe is lovely, thanks for sharing!',
  'you are a worthless idiot and everyone hates you',
  'I will find you and kill you',
  'Where did you buy that jacket? Looks great on you',
  'first! love this channel so much',
]

function bundleSize() {
  // The production bundle, built the way `wrangler deploy` builds it. The
  // container image is left out (building it needs Docker), the code is not.
  const dir = mkdtempSync(join(tmpdir(), 'clipstream-bundle-'))
  try {
    const config = join(dir, 'wrangler.json')
    writeFileSync(
      config,
      JSON.stringify({
        name: 'clipstream',
        main: join(ROOT, 'worker/src/index.ts'),
        compatibility_date: '2026-04-20',
        compatibility_flags: ['nodejs_compat'],
        rules: [{ type: 'Data', globs: ['**/*.onnx'], fallthrough: true }],
        durable_objects: {
          bindings: [
            { name: 'FEED_STATE', class_name: 'FeedState' },
            { name: 'TRANSCODER', class_name: 'TranscoderContainer' },
          ],
        },
      }),
    )
    const out = join(dir, 'out')
    const dry = run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out, '-c', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    })
    // Wrangler's own figure, the one its upload limit is checked against.
    const reported = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(
      `${dry.stdout}${dry.stderr}`,
    )
    let raw = 0
    let gzip = 0
    const files = {}
    for (const name of readdirSync(out)) {
      const path = join(out, name)
      if (!statSync(path).isFile() || name.endsWith('.map')) continue
      const bytes = readFileSync(path)
      const gz = gzipSync(bytes).length
      raw += bytes.length
      gzip += gz
      files[name] = { bytes: bytes.length, gzipBytes: gz }
    }
    return {
      wranglerTotalKiB: reported ? Number(reported[1]) : null,
      wranglerGzipKiB: reported ? Number(reported[2]) : null,
      rawMB: +(raw / 1e6).toFixed(2),
      gzipMB: +(gzip / 1e6).toFixed(2),
      limitGzipMB: 10,
      files,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function timed(url) {
  const t0 = performance.now()
  const res = await fetch(url)
  await res.text()
  return performance.now() - t0
}

const state = mkdtempSync(join(tmpdir(), 'clipstream-bench-comments-'))
try {
  const bundle = bundleSize()
  startService(
    'bench-classifier',
    'npx',
    [
      'wrangler',
      'dev',
      '-c',
      'bench/comments/wrangler.toml',
      '--port',
      String(PORT),
      '--log-level',
      'error',
      '--persist-to',
      state,
    ],
    { quiet: true },
  )
  await waitFor(`${BASE}/noop`, { what: 'wrangler dev' })
  const coldMs = await timed(`${BASE}/classify?text=${encodeURIComponent(COMMENTS[0])}`)
  for (let i = 0; i < 50; i++)
    await timed(`${BASE}/classify?text=${encodeURIComponent(COMMENTS[i % COMMENTS.length])}`)
  const sequential = []
  const noop = []
  for (let i = 0; i < 300; i++) {
    noop.push(await timed(`${BASE}/noop`))
    sequential.push(
      await timed(
        `${BASE}/classify?text=${encodeURIComponent(COMMENTS[i % COMMENTS.length] + ' ' + i)}`,
      ),
    )
  }
  const pct = (xs, p) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
  const throughput = await load(`${BASE}/classify?text=${encodeURIComponent(COMMENTS[1])}`, {
    requests: 1000,
    concurrency: 8,
  })
  console.log(
    JSON.stringify(
      {
        bench: 'comments',
        runtime: 'wrangler dev (workerd), one comment per request',
        coldFirstCallMs: +coldMs.toFixed(1),
        perComment: {
          p50Ms: +pct(sequential, 50).toFixed(2),
          p99Ms: +pct(sequential, 99).toFixed(2),
          noopRouteP50Ms: +pct(noop, 50).toFixed(2),
          classificationP50MsEstimate: +(pct(sequential, 50) - pct(noop, 50)).toFixed(2),
        },
        classificationsPerSecond: throughput.requestsPerSecond,
        throughput,
        bundle,
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(state, { recursive: true, force: true })
}
