// Feed serving benchmark: GET /api/feed (personalised, through each user's FeedState Durable
// Object, and anonymous trending) under concurrency against a local wrangler dev, next to the
// trivial /api/health/live on the same server. The catalogue is seeded into its own
// persisted state, then rebuilt through the real 03:00 cron and queue consumers.
// The Worker runs as its benchmark build (bench/recs/instrumented/worker.ts), which counts per
// route what each request asked of storage: sequential D1 round trips, D1 statements, KV reads
// and Durable Object calls. Those counts are exact; req/s and latencies depend on the machine.
// Prints JSON.
//   BENCH_VIDEOS=20000 node bench/recs/feed.mjs
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
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

// wrangler dev reloads the Worker when a source file changes, and a reload drops the local
// queue's deliveries in flight (the rebuild then never finishes). Others edit this tree while
// a bench runs, so the Worker runs from a copy of the sources taken at start. BENCH_REF=<commit>
// takes the Worker's sources (worker/src, models) from that commit instead, to measure an
// earlier version with the same instrumentation.
const REF = process.env.BENCH_REF
function snapshotSources(into) {
  for (const path of [
    'package.json',
    'wrangler.toml',
    '.dev.vars',
    'migrations',
    'worker/package.json',
    'worker/src',
    'models/src',
    'models/artifacts',
    'bench/recs/instrumented',
    // wrangler.toml names the transcoder's image; containers are off in dev.
    'transcoder/Dockerfile',
  ]) {
    cpSync(join(ROOT, path), join(into, path), { recursive: true })
  }
  if (REF) {
    rmSync(join(into, 'worker/src'), { recursive: true })
    const archive = spawnSync(
      'git',
      ['archive', REF, 'worker/src', 'models/src', 'models/artifacts'],
      {
        cwd: ROOT,
        maxBuffer: 1 << 30,
      },
    )
    if (archive.status !== 0) throw new Error(`git archive ${REF} failed`)
    spawnSync('tar', ['-x', '-C', into], { input: archive.stdout })
  }
  mkdirSync(join(into, 'web', 'dist'), { recursive: true })
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'))
  symlinkSync(join(ROOT, 'worker', 'node_modules'), join(into, 'worker', 'node_modules'))
}

const state = mkdtempSync(join(tmpdir(), 'clipstream-bench-recs-'))
try {
  const sources = join(state, 'sources')
  snapshotSources(sources)
  const persist = ['--persist-to', join(state, 'persist')]
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    stdio: 'ignore',
    cwd: sources,
  })
  const file = join(state, 'seed.sql')
  writeFileSync(file, seedSql(Date.now()))
  run('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', ...persist, '--file', file], {
    stdio: 'ignore',
    cwd: sources,
  })

  const dev = [
    'npx wrangler dev bench/recs/instrumented/worker.ts',
    `--port ${PORT} --test-scheduled --log-level error`,
    `--persist-to '${join(state, 'persist')}'`,
  ]
  // startService runs from the repository root; the copy is entered first.
  startService('bench-recs', 'sh', ['-c', `cd '${sources}' && exec ${dev.join(' ')}`], {
    quiet: true,
  })
  await waitFor(`${BASE}/api/health/live`, { what: 'wrangler dev' })

  // The real nightly path: cron plans, the local queue consumer runs the batches. (With
  // --test-scheduled; /cdn-cgi/handler/scheduled answers "exception" here with assets on.)
  const admin = { headers: { Cookie: 'cs_session=bench-admin-token' } }
  const rebuildStarted = performance.now()
  await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('0 3 * * *')}`)
  let status
  for (;;) {
    // A busy local runtime can leave a poll unanswered for minutes (seen at 20k under load):
    // that poll is dropped, not the run.
    status = await Promise.race([
      fetch(`${BASE}/api/admin/recs/status`, admin).then((res) => res.json()),
      sleep(30_000).then(() => status),
    ]).catch(() => status)
    const run = status?.currentRun
    if (run?.finishedAt && status?.lastRebuild?.version === run.version) break
    if (performance.now() - rebuildStarted > 600_000) {
      throw new Error(`rebuild did not finish: ${JSON.stringify(status)}`)
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  const rebuildWallMs = Math.round(performance.now() - rebuildStarted)

  // Warm up (first requests compile the Worker, open D1 and create the DOs).
  await load(`${BASE}/api/health/live`, { requests: 100, concurrency: 8 })
  await load(`${BASE}/api/feed`, { requests: 100, concurrency: 8 })

  await load(`${BASE}/api/feeds/latest?limit=10`, { requests: 100, concurrency: 8 })
  await load(`${BASE}/api/feeds/category/${CATEGORIES[0]}?limit=10`, {
    requests: 100,
    concurrency: 8,
  })

  // Each measured run starts from zeroed counts, so the counts are those of its own requests.
  const opts = { requests: REQUESTS, concurrency: CONCURRENCY }
  const measure = async (url, init) => {
    await fetch(`${BASE}/api/__bench/counts?reset=1`)
    const result = await load(url, { ...opts, init })
    const counts = await (await fetch(`${BASE}/api/__bench/counts`)).json()
    // One route per run, so the only entry is this one.
    return { ...result, storage: Object.values(counts)[0] ?? null }
  }
  const trivial = await measure(`${BASE}/api/health/live`)
  const latest = await measure(`${BASE}/api/feeds/latest?limit=10`)
  const category = await measure(`${BASE}/api/feeds/category/${CATEGORIES[0]}?limit=10`)
  const anonymous = await measure(`${BASE}/api/feed`)
  // Signed-in warm-up right before its run: cached session records live 60 s.
  await load(`${BASE}/api/feed`, { requests: USERS, concurrency: 8, init: asUsers(USERS) })
  const personal = await measure(`${BASE}/api/feed`, asUsers(USERS))
  const vsTrivial = (r) => Number((r.requestsPerSecond / trivial.requestsPerSecond).toFixed(3))
  const after = await (await fetch(`${BASE}/api/admin/recs/status`, admin)).json()
  if (process.env.BENCH_HOLD) {
    console.error(`holding ${BASE} for ${process.env.BENCH_HOLD}s`)
    await new Promise((r) => setTimeout(r, Number(process.env.BENCH_HOLD) * 1000))
  }
  console.log(
    JSON.stringify(
      {
        bench: 'recs-feed',
        sources: REF ?? 'working tree',
        runtime:
          'wrangler dev (workerd + Miniflare D1/KV/DO/Queues), --log-level error, benchmark build with storage counters',
        catalogue: VIDEOS,
        users: USERS,
        interactions: USERS * WATCHES_PER_USER,
        rebuild: {
          wallMsIncludingQueueDelivery: rebuildWallMs,
          record: status.lastRebuild,
        },
        routes: {
          'GET /api/health/live (baseline)': trivial,
          'GET /api/feeds/latest (anonymous)': { ...latest, vsTrivial: vsTrivial(latest) },
          'GET /api/feeds/category/:id (anonymous)': {
            ...category,
            vsTrivial: vsTrivial(category),
          },
          'GET /api/feed (anonymous, trending)': { ...anonymous, vsTrivial: vsTrivial(anonymous) },
          'GET /api/feed (signed in, FeedState DO)': {
            ...personal,
            vsTrivial: vsTrivial(personal),
          },
        },
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
