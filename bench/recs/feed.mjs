// Feed serving benchmark: GET /api/feed (personalised, through each user's FeedState Durable
// Object, and anonymous trending) under concurrency against a local wrangler dev, next to the
// trivial /api/health/live on the same server. The catalogue is seeded into its own
// persisted state, then rebuilt through the real 03:00 cron and queue consumers.
// Prints JSON.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, run, startService, stopServices, waitFor } from '../../scripts/lib.mjs'
import { load } from '../lib.mjs'

const PORT = Number(process.env.BENCH_PORT ?? 8798)
const BASE = `http://127.0.0.1:${PORT}`
const VIDEOS = Number(process.env.BENCH_VIDEOS ?? 2000)
const USERS = Number(process.env.BENCH_USERS ?? 200)
const WATCHES_PER_USER = 20
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32)
const CATEGORIES = [
  'recipes',
  'baking',
  'street-food',
  'memes',
  'sketches',
  'covers',
  'choreography',
  'football',
  'basketball',
  'workouts',
]

const sha256 = (text) => createHash('sha256').update(text).digest('hex')
const cookieOf = (i) => `cs_session=bench-token-${i}`

// Each request signs in as the next user in turn.
const asUsers = (users) => (i) => ({ headers: { Cookie: cookieOf(i % users) } })

function seedSql(now) {
  const rows = [
    `INSERT INTO users (id, username, email, password_hash) VALUES ('bench-creator', 'bench', 'bench@example.test', 'x');`,
    `INSERT INTO users (id, username, email, password_hash, role) VALUES ('bench-admin', 'benchadmin', 'admin@example.test', 'x', 'admin');`,
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('${sha256('bench-admin-token')}', 'bench-admin', ${now + 86_400_000});`,
  ]
  for (let i = 0; i < VIDEOS; i++) {
    const id = `bench-${i}`
    // Spread over 30 days so both the nightly lists and the fresh pool have material.
    const at = now - Math.floor((i / VIDEOS) * 30 * 86_400_000)
    rows.push(
      `INSERT INTO videos (id, creator_id, title, status, visibility, published_at, media, duration_seconds, width, height, labels) VALUES ('${id}', 'bench-creator', 'Bench clip ${i}', 'published', 'public', ${at}, '{}', 12, 720, 1280, '["OK"]');`,
      `INSERT INTO video_categories (video_id, category_id) VALUES ('${id}', '${CATEGORIES[i % CATEGORIES.length]}');`,
      `INSERT INTO video_tags (video_id, tag) VALUES ('${id}', 'tag${i % 37}');`,
    )
  }
  for (let u = 0; u < USERS; u++) {
    const id = `bench-user-${u}`
    rows.push(
      `INSERT INTO users (id, username, email, password_hash) VALUES ('${id}', 'benchuser${u}', 'u${u}@example.test', 'x');`,
      `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('${sha256(`bench-token-${u}`)}', '${id}', ${now + 86_400_000});`,
    )
    // Each user leans to two categories, as the generator's users do.
    for (let w = 0; w < WATCHES_PER_USER; w++) {
      const category = (u + (w % 2) * 3) % CATEGORIES.length
      const video =
        (category +
          CATEGORIES.length * ((u * 7 + w * 13) % Math.floor(VIDEOS / CATEGORIES.length))) %
        VIDEOS
      const fraction = w % 4 === 0 ? 0.1 : 0.8
      rows.push(
        `INSERT OR IGNORE INTO watches (user_id, video_id, watch_fraction, watched_seconds, counted, updated_at) VALUES ('${id}', 'bench-${video}', ${fraction}, 5, 1, ${now - w * 3_600_000});`,
      )
      if (w % 5 === 0) {
        rows.push(
          `INSERT OR IGNORE INTO likes (user_id, video_id, created_at) VALUES ('${id}', 'bench-${video}', ${now - w * 3_600_000});`,
        )
      }
    }
  }
  return rows.join('\n')
}

const state = mkdtempSync(join(tmpdir(), 'clipstream-bench-recs-'))
try {
  mkdirSync(join(ROOT, 'web', 'dist'), { recursive: true })
  const persist = ['--persist-to', state]
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    stdio: 'ignore',
  })
  const file = join(state, 'seed.sql')
  writeFileSync(file, seedSql(Date.now()))
  run('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', ...persist, '--file', file], {
    stdio: 'ignore',
  })

  startService(
    'bench-recs',
    'npx',
    [
      'wrangler',
      'dev',
      '--port',
      String(PORT),
      '--test-scheduled',
      '--log-level',
      'error',
      ...persist,
    ],
    { quiet: true },
  )
  await waitFor(`${BASE}/api/health/live`, { what: 'wrangler dev' })

  // The real nightly path: cron plans, the local queue consumer runs the batches. (With
  // --test-scheduled; /cdn-cgi/handler/scheduled answers "exception" here with assets on.)
  const admin = { headers: { Cookie: 'cs_session=bench-admin-token' } }
  const rebuildStarted = performance.now()
  await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('0 3 * * *')}`)
  let status
  for (;;) {
    status = await (await fetch(`${BASE}/api/admin/recs/status`, admin)).json()
    const run = status.currentRun
    if (run?.finishedAt && status.lastRebuild?.version === run.version) break
    if (performance.now() - rebuildStarted > 300_000) throw new Error('rebuild did not finish')
    await new Promise((r) => setTimeout(r, 500))
  }
  const rebuildWallMs = Math.round(performance.now() - rebuildStarted)

  // Warm up (first requests compile the Worker, open D1 and create the DOs).
  await load(`${BASE}/api/health/live`, { requests: 100, concurrency: 8 })
  await load(`${BASE}/api/feed`, { requests: 100, concurrency: 8 })
  await load(`${BASE}/api/feed`, { requests: USERS, concurrency: 8, init: asUsers(USERS) })

  const opts = { requests: REQUESTS, concurrency: CONCURRENCY }
  const trivial = await load(`${BASE}/api/health/live`, opts)
  const latest = await load(`${BASE}/api/feeds/latest?limit=10`, opts)
  const anonymous = await load(`${BASE}/api/feed`, opts)
  const personal = await load(`${BASE}/api/feed`, { ...opts, init: asUsers(USERS) })
  const after = await (await fetch(`${BASE}/api/admin/recs/status`, admin)).json()
  if (process.env.BENCH_HOLD) {
    console.error(`holding ${BASE} for ${process.env.BENCH_HOLD}s`)
    await new Promise((r) => setTimeout(r, Number(process.env.BENCH_HOLD) * 1000))
  }
  console.log(
    JSON.stringify(
      {
        bench: 'recs-feed',
        runtime: 'wrangler dev (workerd + Miniflare D1/KV/DO/Queues), --log-level error',
        catalogue: VIDEOS,
        users: USERS,
        interactions: USERS * WATCHES_PER_USER,
        rebuild: {
          wallMsIncludingQueueDelivery: rebuildWallMs,
          record: status.lastRebuild,
        },
        routes: {
          'GET /api/health/live (baseline)': trivial,
          'GET /api/feeds/latest (reference D1 feed)': latest,
          'GET /api/feed (anonymous, trending)': anonymous,
          'GET /api/feed (signed in, FeedState DO)': personal,
        },
        personalVsBaseline: Number(
          (personal.requestsPerSecond / trivial.requestsPerSecond).toFixed(3),
        ),
        explorationShare: after.feed?.explorationShare ?? null,
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(state, { recursive: true, force: true })
}
