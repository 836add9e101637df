// The nightly rebuild through the real Worker at scale: a synthetic catalogue and 30 days of
// watches, likes and comments are seeded into a fresh local D1, `wrangler dev` runs the
// 03:00 cron (`/__scheduled`), and its local queue consumer runs every batch. Prints JSON:
// wall time to planned and to finished, batch counts, and the CPU time and peak RSS of the
// workerd process (the Worker plus Miniflare's local D1, KV, R2 and queue, which all run
// inside it).
//   npx tsx bench/recs/worker.ts [--items 10000] [--port 8799]

import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateSyntheticDataset } from '../../worker/scripts/lib/syntheticInteractions'
import { ROOT, run, startService, stopServices, waitFor } from '../../scripts/lib.mjs'

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    port: { type: 'string', default: '8799' },
  },
})
const ITEMS = Number(values.items)
const BASE = `http://127.0.0.1:${values.port}`

// The generator's 8 x 4 categories onto the 32 child categories the migrations seed.
const CHILD_CATEGORIES = readFileSync(
  join(ROOT, 'migrations/0001_counters_and_categories.sql'),
  'utf8',
)
  .split('INSERT INTO categories')
  .slice(1)
  .join('')
  .split('\n')
  .map((line) => /^\s*\('([^']+)', '([^']+)'/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => m[1] ?? '')
const categoryOf = (generated: string): string =>
  CHILD_CATEGORIES[Number(generated.split('/c')[1] ?? 0) % CHILD_CATEGORIES.length] ?? 'memes'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`

// Multi-row INSERTs of 400 rows keep each statement far under D1's 100 KB limit.
function inserts(table: string, columns: string, rows: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < rows.length; i += 400) {
    out.push(`INSERT INTO ${table} (${columns}) VALUES ${rows.slice(i, i + 400).join(',')};`)
  }
  return out
}

function seedSql(now: number): { sql: string; counts: Record<string, number> } {
  const data = generateSyntheticDataset({
    seed: 1,
    items: ITEMS,
    users: ITEMS / 5,
    interactions: ITEMS * 20,
    days: 30,
    testDays: 0,
  })
  const shift = now - data.cutoff
  const videos = data.items.map((item) => {
    const at = item.createdAt + shift
    return `(${quote(`b-${item.id}`)}, 'bench-creator', ${quote(`Clip ${item.id}`)}, 'published', 'public', ${at}, ${at}, '{}', 12, 720, 1280, ${quote(JSON.stringify(item.labels))})`
  })
  const categories = data.items.map(
    (item) => `(${quote(`b-${item.id}`)}, ${quote(categoryOf(item.categories[0] ?? ''))})`,
  )
  const tags = data.items.flatMap((item) =>
    item.tags.map((tag) => `(${quote(`b-${item.id}`)}, ${quote(tag)})`),
  )
  // One watch row per user and video (the table's key): the best fraction, the last time.
  // Near-complete watches also like, and the fullest comment: the generator only watches.
  const watched = new Map<string, { user: string; video: string; fraction: number; at: number }>()
  for (const i of data.train) {
    const key = `${i.userId}|${i.itemId}`
    const fraction = i.watchFraction ?? 1
    const previous = watched.get(key)
    watched.set(key, {
      user: `b-${i.userId}`,
      video: `b-${i.itemId}`,
      fraction: Math.max(previous?.fraction ?? 0, fraction),
      at: Math.max(previous?.at ?? 0, i.at + shift),
    })
  }
  const watches: string[] = []
  const likes: string[] = []
  const comments: string[] = []
  for (const w of watched.values()) {
    watches.push(`(${quote(w.user)}, ${quote(w.video)}, ${w.fraction}, 6, 1, ${w.at}, ${w.at})`)
    if (w.fraction >= 0.85) likes.push(`(${quote(w.user)}, ${quote(w.video)}, ${w.at})`)
    if (w.fraction >= 0.97) {
      comments.push(
        `(${quote(`c-${comments.length}`)}, ${quote(w.video)}, ${quote(w.user)}, 'great clip', 'published', ${w.at}, ${w.at})`,
      )
    }
  }
  const users = [...new Set(data.train.map((i) => i.userId))].map(
    (u) => `(${quote(`b-${u}`)}, ${quote(`bench${u}`)}, ${quote(`${u}@example.test`)}, 'x')`,
  )
  const statements = [
    `INSERT INTO users (id, username, email, password_hash) VALUES ('bench-creator', 'benchcreator', 'creator@example.test', 'x');`,
    `INSERT INTO users (id, username, email, password_hash, role) VALUES ('bench-admin', 'benchadmin', 'admin@example.test', 'x', 'admin');`,
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('${sha256('bench-admin-token')}', 'bench-admin', ${now + 86_400_000});`,
    ...inserts('users', 'id, username, email, password_hash', users),
    ...inserts(
      'videos',
      'id, creator_id, title, status, visibility, published_at, created_at, media, duration_seconds, width, height, labels',
      videos,
    ),
    ...inserts('video_categories', 'video_id, category_id', categories),
    ...inserts('video_tags', 'video_id, tag', tags),
    ...inserts(
      'watches',
      'user_id, video_id, watch_fraction, watched_seconds, counted, created_at, updated_at',
      watches,
    ),
    ...inserts('likes', 'user_id, video_id, created_at', likes),
    ...inserts(
      'comments',
      'id, video_id, author_id, body, status, created_at, updated_at',
      comments,
    ),
  ]
  return {
    sql: statements.join('\n'),
    counts: {
      videos: videos.length,
      users: users.length,
      watches: watches.length,
      likes: likes.length,
      comments: comments.length,
      interactions: watches.length + likes.length + comments.length,
    },
  }
}

// CPU seconds and resident MB of the workerd processes in the service's process group.
function workerd(groupId: number): { cpuSeconds: number; rssMB: number } {
  const ps = spawnSync('ps', ['-o', 'pid=,comm=', '-g', String(groupId)], { encoding: 'utf8' })
  let ticks = 0
  let rss = 0
  for (const line of ps.stdout.split('\n')) {
    const [pid, comm] = line.trim().split(/\s+/)
    if (!pid || !comm?.startsWith('workerd')) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    } catch {
      // exited between ps and the read
    }
  }
  return { cpuSeconds: ticks / 100, rssMB: Math.round(rss / 1024) }
}

const state = mkdtempSync(join(tmpdir(), 'clipstream-bench-recs-worker-'))
try {
  mkdirSync(join(ROOT, 'web', 'dist'), { recursive: true })
  const persist = ['--persist-to', state]
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    stdio: 'ignore',
  })
  const now = Date.now()
  const seedStarted = performance.now()
  const { sql, counts } = seedSql(now)
  const file = join(state, 'seed.sql')
  writeFileSync(file, sql)
  // Output only on failure: wrangler prints a progress line per statement.
  const seeded = spawnSync(
    'npx',
    ['wrangler', 'd1', 'execute', 'DB', '--local', ...persist, '--file', file],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  )
  if (seeded.status !== 0) {
    throw new Error(`seeding failed: ${(seeded.stdout + seeded.stderr).slice(-2000)}`)
  }
  const seedSeconds = Math.round(performance.now() - seedStarted) / 1000
  process.stderr.write(`seeded ${JSON.stringify(counts)} in ${seedSeconds} s\n`)

  const service = startService(
    'bench-recs-worker',
    'npx',
    [
      'wrangler',
      'dev',
      '--port',
      values.port,
      '--test-scheduled',
      '--log-level',
      'error',
      ...persist,
    ],
    { quiet: true },
  )
  await waitFor(`${BASE}/api/health/live`, { what: 'wrangler dev', timeoutMs: 120_000 })
  const admin = { headers: { Cookie: 'cs_session=bench-admin-token' } }
  const status = async (): Promise<{
    currentRun?: {
      version: string
      startedAt: number
      plannedAt?: number
      finishedAt?: number
      batches: number
      failedBatches: number
      items: number
      users: number
    }
    lastRebuild?: { version: string }
  }> =>
    // A timeout: while the consumer keeps the isolate busy a request can wait a long time,
    // and undici would otherwise hold a stuck one for its 300 s default.
    (
      await fetch(`${BASE}/api/admin/recs/status`, { ...admin, signal: AbortSignal.timeout(5000) })
    ).json() as never
  await status()

  const before = workerd(service.pid ?? 0)
  let peakRss = before.rssMB
  const started = performance.now()
  await fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('0 3 * * *')}`)
  let last: Awaited<ReturnType<typeof status>>
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000))
    peakRss = Math.max(peakRss, workerd(service.pid ?? 0).rssMB)
    last = await status().catch(() => ({}))
    const current = last.currentRun
    if (current?.finishedAt && last.lastRebuild?.version === current.version) break
    if (performance.now() - started > 3_600_000)
      throw new Error('rebuild did not finish in an hour')
  }
  const wall = performance.now() - started
  const after = workerd(service.pid ?? 0)
  console.log(
    JSON.stringify(
      {
        bench: 'recs-worker-rebuild',
        runtime: 'wrangler dev (workerd + Miniflare D1/KV/R2/Queues), --log-level error',
        seeded: counts,
        seedSeconds,
        run: last.currentRun,
        // From the run's own D1 stamps; the polling figure below is only as fine as the polls.
        secondsToPlanned: last.currentRun?.plannedAt
          ? (last.currentRun.plannedAt - last.currentRun.startedAt) / 1000
          : null,
        secondsToFinished: last.currentRun?.finishedAt
          ? (last.currentRun.finishedAt - last.currentRun.startedAt) / 1000
          : null,
        secondsUntilPollSawFinished: Math.round(wall) / 1000,
        workerdCpuSeconds: Math.round((after.cpuSeconds - before.cpuSeconds) * 100) / 100,
        workerdPeakRssMB: peakRss,
        workerdRssBeforeMB: before.rssMB,
      },
      null,
      2,
    ),
  )
} finally {
  stopServices()
  rmSync(state, { recursive: true, force: true })
}
