// API benchmark: the latest feed under concurrency against the local runtime
// (wrangler dev, workerd + Miniflare's D1), next to a trivial route on the
// same server as the baseline. Prints JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, run, startService, stopServices, waitFor } from '../../scripts/lib.mjs'
import { load } from '../lib.mjs'

const PORT = 8797
const BASE = `http://127.0.0.1:${PORT}`
const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 2000)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)

const state = mkdtempSync(join(tmpdir(), 'clipstream-bench-'))
try {
  const persist = ['--persist-to', state]
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    stdio: 'ignore',
  })
  const rows = []
  rows.push(
    `INSERT INTO users (id, username, email, password_hash) VALUES ('bench-creator', 'bench', 'bench@example.test', 'x');`,
  )
  const cats = ['recipes', 'baking', 'memes', 'gameplay', 'football', 'science']
  for (let i = 0; i < VIDEOS; i++) {
    const id = `bench-${i}`
    rows.push(
      `INSERT INTO videos (id, creator_id, title, status, visibility, published_at, media, duration_seconds, width, height) VALUES ('${id}', 'bench-creator', 'Bench clip ${i}', 'published', 'public', ${1_700_000_000_000 + i}, '{}', 12, 720, 1280);`,
      `INSERT INTO video_categories (video_id, category_id) VALUES ('${id}', '${cats[i % cats.length]}');`,
    )
  }
  const file = join(state, 'seed.sql')
  writeFileSync(file, rows.join('\n'))
  run('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', ...persist, '--file', file], {
    stdio: 'ignore',
  })

  startService(
    'bench-worker',
    'npx',
    ['wrangler', 'dev', '--port', String(PORT), '--log-level', 'error', ...persist],
    {
      quiet: true,
    },
  )
  await waitFor(`${BASE}/api/health/live`, { what: 'wrangler dev' })
  // Warm up both routes (first requests compile the Worker and open D1).
  await load(`${BASE}/api/feeds/latest`, { requests: 100, concurrency: 8 })
  await load(`${BASE}/api/health/live`, { requests: 100, concurrency: 8 })

  const opts = { requests: REQUESTS, concurrency: CONCURRENCY }
  const trivial = await load(`${BASE}/api/health/live`, opts)
  const latest = await load(`${BASE}/api/feeds/latest?limit=10`, opts)
  const deepCursor = Buffer.from(
    `${1_700_000_000_000 + Math.floor(VIDEOS / 2)}:bench-${Math.floor(VIDEOS / 2)}`,
  ).toString('base64url')
  const deep = await load(`${BASE}/api/feeds/latest?limit=10&cursor=${deepCursor}`, opts)
  console.log(
    JSON.stringify(
      {
        bench: 'api',
        runtime: 'wrangler dev (workerd + Miniflare D1), --log-level error',
        catalogue: VIDEOS,
        routes: {
          'GET /api/health/live (baseline)': trivial,
          'GET /api/feeds/latest': latest,
          'GET /api/feeds/latest (mid-catalogue cursor)': deep,
        },
        feedVsBaseline: Number((latest.requestsPerSecond / trivial.requestsPerSecond).toFixed(3)),
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(state, { recursive: true, force: true })
}
void ROOT
