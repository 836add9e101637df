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
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { ROOT, run, startService, stopServices, waitFor } from '../../scripts/lib.mjs'
import { ensureDevVars } from '../../scripts/platform.mjs'
import { load } from '../lib.mjs'
import { profileRequests } from './inspectorProfile.mjs'

const PORT = Number(process.env.BENCH_PORT ?? 8798)
// BENCH_PROFILE=1: after the measured runs, a CPU profile of signed-in requests through the
// runtime's inspector (self time per function, all isolates' JS; D1's SQLite is native code
// in another service and shows as idle), and the bytes handed to the DO and read from KV.
const PROFILE = Boolean(process.env.BENCH_PROFILE)
// BENCH_PROFILE=cpu: only the runtime's CPU per request, without the inspector's profile (on
// the loaded shared machine the profiled requests took ten minutes of a run).
const INSPECT = PROFILE && process.env.BENCH_PROFILE !== 'cpu'
const INSPECTOR_PORT = Number(process.env.BENCH_INSPECTOR_PORT ?? 9239)
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
  // Local secrets as `npm start` makes them, so a fresh clone benches without starting first.
  ensureDevVars((line) => console.error(line))
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

// CPU seconds (user + system) of this run's workerd processes (cwd inside the state dir):
// all of the local runtime, D1's and the DOs' SQLite included, which the profile cannot see.
function runtimeCpuSeconds() {
  const tick = 100
  let total = 0
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'workerd') continue
      if (!readlinkSync(`/proc/${pid}/cwd`).startsWith(state)) continue
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      total += (Number(fields[11]) + Number(fields[12])) / tick
    } catch {
      // The process ended meanwhile.
    }
  }
  return total
}

// Cached session records live 60 s from when they were written, and a touch does not renew
// one: a signed-in run that follows other runs finds records written during them expiring
// under it (about half the CPU run's pages read the session from D1 that way). So the
// signed-in CPU run first waits the records out, then touches every user's session at once
// and runs well inside the minute. The runtime may also work while no request is in flight
// (queue deliveries, storage housekeeping), which would be charged to the requests: its CPU
// over an idle stretch before each run is measured, and the run's figure is also given less
// that rate. The run's own storage counts come with it.
const warmSessions = () =>
  load(`${BASE}/api/feed`, { requests: USERS, concurrency: 8, init: asUsers(USERS) })

async function cpuPerRequest(url, init) {
  console.error(`${new Date().toISOString()} CPU per request: ${url}${init ? ' (signed in)' : ''}`)
  const idleFrom = runtimeCpuSeconds()
  const idleStart = performance.now()
  await sleep(init ? 61_000 : 5_000)
  const idlePerSecond = (runtimeCpuSeconds() - idleFrom) / ((performance.now() - idleStart) / 1000)
  if (init) await warmSessions()
  await fetch(`${BASE}/api/__bench/counts?reset=1`)
  const before = runtimeCpuSeconds()
  const started = performance.now()
  const run = await load(url, { requests: 400, concurrency: 4, init })
  const seconds = (performance.now() - started) / 1000
  const cpu = runtimeCpuSeconds() - before
  const ms = (cpu * 1000) / run.requests
  const net = ((cpu - idlePerSecond * seconds) * 1000) / run.requests
  const storage = Object.values(await (await fetch(`${BASE}/api/__bench/counts`)).json())[0]
  return {
    ...run,
    runtimeCpuMsPerRequest: Number(ms.toFixed(2)),
    idleRuntimeCpuMsPerSecond: Number((idlePerSecond * 1000).toFixed(1)),
    runtimeCpuMsPerRequestLessIdle: Number(net.toFixed(2)),
    storage: storage ?? null,
  }
}

// Self time by function over a run of signed-in requests, from the inspector's CPU profiler.
async function profileSignedIn() {
  await warmSessions()
  await fetch(`${BASE}/api/__bench/counts?reset=1`)
  const profile = await profileRequests({
    inspectorPort: INSPECTOR_PORT,
    url: `${BASE}/api/feed`,
    init: (i) => ({ headers: { Cookie: cookieOf(i % USERS), 'x-bench-profile': '1' } }),
  })
  const storage = Object.values(await (await fetch(`${BASE}/api/__bench/counts`)).json())[0]
  return { ...profile, storage }
}

const state = mkdtempSync(join(tmpdir(), 'clipstream-bench-recs-'))
// A run stopped from outside (e.g. `timeout` around a profile that hangs) still stops its
// wrangler dev and removes its state.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopServices()
    rmSync(state, { recursive: true, force: true })
    process.exit(1)
  })
}
try {
  const sources = join(state, 'sources')
  snapshotSources(sources)
  const persist = ['--persist-to', join(state, 'persist')]
  const file = join(state, 'seed.sql')
  writeFileSync(file, seedSql(Date.now()))
  // Seeding 20,000 clips at once failed now and then on the loaded machine (exit code 1,
  // twice in six runs): a failed attempt starts again from an empty database.
  for (let attempt = 1; ; attempt++) {
    try {
      run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], {
        stdio: 'ignore',
        cwd: sources,
      })
      run('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', ...persist, '--file', file], {
        stdio: attempt < 3 ? 'ignore' : 'inherit',
        cwd: sources,
      })
      break
    } catch (err) {
      if (attempt >= 3) throw err
      console.error(`seeding failed (attempt ${attempt}), starting again`)
      rmSync(join(state, 'persist'), { recursive: true, force: true })
    }
  }

  const dev = [
    'npx wrangler dev bench/recs/instrumented/worker.ts',
    `--port ${PORT} --test-scheduled --log-level error`,
    ...(INSPECT ? [`--inspector-port ${INSPECTOR_PORT}`] : []),
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
  console.error(`${new Date().toISOString()} rebuilt in ${rebuildWallMs} ms`)

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
    // Progress on stderr: a run takes minutes on the shared machine.
    console.error(`${new Date().toISOString()} ${url}${init ? ' (signed in)' : ''}`)
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
  // A signed-in viewer's latest and category pages carry their likes: read from D1, not the
  // shared cached page.
  const latestSignedIn = await measure(`${BASE}/api/feeds/latest?limit=10`, asUsers(USERS))
  const categorySignedIn = await measure(
    `${BASE}/api/feeds/category/${CATEGORIES[0]}?limit=10`,
    asUsers(USERS),
  )
  const profile = PROFILE
    ? {
        cpu: {
          trivial: await cpuPerRequest(`${BASE}/api/health/live`),
          signedIn: await cpuPerRequest(`${BASE}/api/feed`, asUsers(USERS)),
          // One D1 batch and no DO call: what a signed-in page costs without the FeedState call
          // and the re-check.
          signedInLatest: await cpuPerRequest(`${BASE}/api/feeds/latest?limit=10`, asUsers(USERS)),
          // Outside the app: a bare response, and the same after one D1 batch of `SELECT 1`.
          bare: await cpuPerRequest(`${BASE}/api/__bench/none`),
          bareD1: await cpuPerRequest(`${BASE}/api/__bench/d1`),
          // The same with one FeedState call, without and after the D1 batch.
          bareDo: await cpuPerRequest(`${BASE}/api/__bench/do`),
          bareD1Do: await cpuPerRequest(`${BASE}/api/__bench/d1do`),
          // The feed's own two statements as one batch, and one storage write in the DO.
          d1Feed: await cpuPerRequest(`${BASE}/api/__bench/d1feed`),
          doPut: await cpuPerRequest(`${BASE}/api/__bench/doput`),
        },
        ...(INSPECT ? await profileSignedIn() : {}),
      }
    : undefined
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
          'GET /api/feeds/latest (signed in)': {
            ...latestSignedIn,
            vsTrivial: vsTrivial(latestSignedIn),
          },
          'GET /api/feeds/category/:id (signed in)': {
            ...categorySignedIn,
            vsTrivial: vsTrivial(categorySignedIn),
          },
        },
        explorationShare: after.feed?.explorationShare ?? null,
        ...(profile ? { profile } : {}),
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(state, { recursive: true, force: true })
}
