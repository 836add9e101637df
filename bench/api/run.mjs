// API benchmark: the latest feed under concurrency against the local runtime
// (wrangler dev, workerd + Miniflare's D1), next to a trivial route on the
// same server as the baseline; and what the rate-limit middleware costs on a
// hot limited route (likes), with and without its binding calls, in the same
// run (see limits-worker.ts). Prints JSON.
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, run, startService, stopServices, waitFor } from '../../scripts/lib.mjs'
import { load } from '../lib.mjs'

const PORT = 8797
const BASE = `http://127.0.0.1:${PORT}`
const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 2000)
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
// Signed-in likers, enough that no account reaches its 60 likes a minute.
const LIKERS = 500
const LIMIT_ROUNDS = Number(process.env.BENCH_LIMIT_ROUNDS ?? 3)
// Requests per round and variant (likes are slow locally: every one writes D1 and a DO).
const LIMIT_REQUESTS = Number(process.env.BENCH_LIMIT_REQUESTS ?? 500)
const ORIGIN = 'http://localhost:8787'
const sha256 = (text) => createHash('sha256').update(text).digest('hex')
// Counters across the limiter runs: each request's own client IP, and like requests so far
// (so no (account, clip) pair repeats).
let ip = 0
let likes = 0
const headers = (limits, signedIn, i) => ({
  Origin: ORIGIN,
  'CF-Connecting-IP': `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip++ & 255}`,
  ...(signedIn ? { Cookie: `cs_session=bench-token-${i % LIKERS}` } : {}),
  ...(limits ? {} : { 'x-bench-limits': 'off' }),
})
const VARIANTS = {
  'POST /api/videos/:id/like (signed in)': { signedIn: true },
  'POST /api/videos/:id/like (no session, 401)': { signedIn: false },
}
// Request j: account j % LIKERS likes clip floor(j / LIKERS), a pair no other request has.
const likeUrl = (j) => `${BASE}/api/videos/bench-${Math.floor(j / LIKERS) % VIDEOS}/like`

const state = mkdtempSync(join(tmpdir(), 'clipstream-bench-'))
// wrangler dev rebuilds and restarts the Worker whenever a source file changes, and other
// work edits worker/src while a benchmark runs (a restart mid-run answered 503s and cold
// starts). It runs a copy of the sources taken now, inside the repository so that imports
// still resolve node_modules (.tmp/ is ignored by git).
mkdirSync(join(ROOT, '.tmp'), { recursive: true })
const snapshot = mkdtempSync(join(ROOT, '.tmp', 'bench-api-'))
for (const dir of ['worker/src', 'models/src', 'models/artifacts', 'bench/api']) {
  cpSync(join(ROOT, dir), join(snapshot, dir), { recursive: true })
}
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
  for (let i = 0; i < LIKERS; i++) {
    rows.push(
      `INSERT INTO users (id, username, email, password_hash) VALUES ('liker-${i}', 'liker${i}', 'liker${i}@example.test', 'x');`,
      `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('${sha256(`bench-token-${i}`)}', 'liker-${i}', ${Date.now() + 86_400_000});`,
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
    [
      'wrangler',
      'dev',
      join(snapshot, 'bench/api/limits-worker.ts'),
      '--port',
      String(PORT),
      '--log-level',
      'error',
      ...persist,
    ],
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
  const limiter = {
    [`concurrency ${CONCURRENCY}`]: await limiterCost({
      requests: LIMIT_REQUESTS,
      concurrency: CONCURRENCY,
    }),
    // Limited and unlimited requests alternating in one load: the machine's drift (other
    // work on it) falls on both halves alike, which rounds alone did not manage here.
    [`interleaved, concurrency ${CONCURRENCY}`]: await interleaved({
      requests: 2 * LIMIT_REQUESTS,
      concurrency: CONCURRENCY,
    }),
    // One request at a time: the added latency without queueing behind other requests.
    'interleaved, concurrency 1': await interleaved({
      requests: 2 * LIMIT_REQUESTS,
      concurrency: 1,
    }),
  }
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
        rateLimits: limiter,
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(state, { recursive: true, force: true })
  rmSync(snapshot, { recursive: true, force: true })
}
void ROOT

// A like from a signed-in account (the middleware asks two bindings: per IP and
// per account) and a like without a session (one binding, per IP; then 401),
// each with the real bindings and with allow-all ones, in rounds that alternate
// which goes first, so drift in the machine's load falls on both alike. Every
// request comes from its own client IP, so no per-IP limit is reached, and
// every signed-in request is a new (account, clip) pair, so each inserts a like.
async function limiterCost(opts) {
  if (!likes) {
    // Each account's first like starts its FeedState Durable Object; start them all before
    // measuring (on the last clip, which the measured likes do not use).
    await load(`${BASE}/api/videos/bench-${VIDEOS - 1}/like`, {
      requests: LIKERS,
      concurrency: 8,
      init: (i) => ({ method: 'POST', headers: headers(false, true, i) }),
    })
    await fetch(`${BASE}/api/__bench/limit-calls`)
  }
  const out = {}
  for (const [name, { signedIn }] of Object.entries(VARIANTS)) {
    const url = likeUrl
    const rounds = { on: [], off: [] }
    const calls = { on: 0, off: 0 }
    for (let r = 0; r < LIMIT_ROUNDS; r++) {
      for (const limits of r % 2 ? [false, true] : [true, false]) {
        // Offsets run on across calls, so no (account, clip) pair repeats.
        const offset = likes
        likes += opts.requests
        const result = await load((i) => url(offset + i), {
          ...opts,
          init: (i) => ({ method: 'POST', headers: headers(limits, signedIn, offset + i) }),
        })
        rounds[limits ? 'on' : 'off'].push(result)
        const counts = await (await fetch(`${BASE}/api/__bench/limit-calls`)).json()
        calls.on += counts.on
        calls.off += counts.off
      }
    }
    const total = opts.requests * LIMIT_ROUNDS
    const on = summarise(rounds.on)
    const off = summarise(rounds.off)
    out[name] = {
      bindingCallsPerRequest: {
        limited: Number((calls.on / total).toFixed(2)),
        unlimited: Number((calls.off / total).toFixed(2)),
      },
      limited: on,
      unlimited: off,
      limitedVsUnlimited: Number((on.requestsPerSecond / off.requestsPerSecond).toFixed(3)),
      addedP50Ms: Number((on.p50Ms - off.p50Ms).toFixed(2)),
      addedP99Ms: Number((on.p99Ms - off.p99Ms).toFixed(2)),
      rounds: Object.fromEntries(
        Object.entries(rounds).map(([k, list]) => [
          k,
          list.map((x) => ({
            requestsPerSecond: x.requestsPerSecond,
            p50Ms: x.p50Ms,
            p99Ms: x.p99Ms,
          })),
        ]),
      ),
    }
  }
  return out
}

// Even requests limited, odd ones not, in one load: latencies per half (requests/s cannot
// be told apart within one load; the rounds above give those).
async function interleaved({ requests, concurrency }) {
  const out = {}
  for (const [name, { signedIn }] of Object.entries(VARIANTS)) {
    const latencies = { on: [], off: [] }
    const statuses = {}
    const offset = likes
    likes += requests
    let next = 0
    async function worker() {
      while (next < requests) {
        const i = next++
        const limits = i % 2 === 0
        const t0 = performance.now()
        const res = await fetch(likeUrl(offset + i), {
          method: 'POST',
          headers: headers(limits, signedIn, offset + i),
        })
        await res.arrayBuffer()
        latencies[limits ? 'on' : 'off'].push(performance.now() - t0)
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    const counts = await (await fetch(`${BASE}/api/__bench/limit-calls`)).json()
    const pct = (list, p) => {
      const sorted = [...list].sort((a, b) => a - b)
      return Number(
        sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(2),
      )
    }
    const half = requests / 2
    out[name] = {
      requests,
      concurrency,
      statuses,
      bindingCallsPerRequest: {
        limited: Number((counts.on / half).toFixed(2)),
        unlimited: Number((counts.off / half).toFixed(2)),
      },
      limited: { p50Ms: pct(latencies.on, 50), p99Ms: pct(latencies.on, 99) },
      unlimited: { p50Ms: pct(latencies.off, 50), p99Ms: pct(latencies.off, 99) },
      addedP50Ms: Number((pct(latencies.on, 50) - pct(latencies.off, 50)).toFixed(2)),
      addedP99Ms: Number((pct(latencies.on, 99) - pct(latencies.off, 99)).toFixed(2)),
    }
  }
  return out
}

// Rounds of equal size: requests/s over all of them, and the median round's latencies.
function summarise(rounds) {
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
  return {
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    statuses: rounds.reduce((all, r) => {
      for (const [status, n] of Object.entries(r.statuses)) all[status] = (all[status] ?? 0) + n
      return all
    }, {}),
    requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
  }
}
