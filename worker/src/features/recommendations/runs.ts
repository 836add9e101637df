// Bookkeeping of rebuild runs in D1 (strongly consistent, unlike KV): each batch inserts
// its own row once, and the run is finished when the rows reach the planned total.

import { kvKeys, putJson, type RebuildRecord } from './store'

export async function startRun(
  db: D1Database,
  run: {
    version: string
    kind: 'recommendations' | 'preferences'
    trigger: string
    startedAt: number
  },
): Promise<void> {
  await db
    .prepare(
      `INSERT OR IGNORE INTO recs_rebuilds (version, kind, trigger, started_at) VALUES (?1, ?2, ?3, ?4)`,
    )
    .bind(run.version, run.kind, run.trigger, run.startedAt)
    .run()
}

interface RunRow {
  version: string
  kind: 'recommendations' | 'preferences'
  trigger: string
  started_at: number
  planned_at: number | null
  finished_at: number | null
  items: number
  users: number
  batches: number
  failed: number
}

// Idempotent: a redelivered batch inserts nothing and the finish stamp is set once.
export async function markBatchDone(
  env: Env,
  version: string,
  batchId: string,
  failed = false,
): Promise<void> {
  await env.DB.prepare(
    `INSERT OR IGNORE INTO recs_rebuild_batches (version, batch_id, failed, done_at)
     SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM recs_rebuilds WHERE version = ?1)`,
  )
    .bind(version, batchId, failed ? 1 : 0, Date.now())
    .run()
  await finishIfComplete(env, version)
}

export async function finishIfComplete(env: Env, version: string): Promise<void> {
  await env.DB.prepare(
    `UPDATE recs_rebuilds SET finished_at = ?2
     WHERE version = ?1 AND finished_at IS NULL AND planned_at IS NOT NULL
       AND (SELECT count(*) FROM recs_rebuild_batches b WHERE b.version = ?1) >= batches`,
  )
    .bind(version, Date.now())
    .run()
  const run = await loadRun(env.DB, version)
  if (!run || run.finishedAt === null) return
  // Rewritten on every redelivery of a late batch (same content), so a lost KV write
  // heals; never over a newer run's record.
  const key = run.kind === 'recommendations' ? kvKeys.lastRebuild : kvKeys.lastPreferences
  const current = await env.RECS.get<RebuildRecord>(key, 'json')
  if (current && current.startedAt > run.startedAt) return
  await putJson(env.RECS, key, { ...run, explorationShare: await explorationShare(env.DB) })
}

// Share of exploratory items among those served over the last week (the dashboard's figure).
export async function explorationShare(db: D1Database, now = Date.now()): Promise<number | null> {
  const since = new Date(now - 7 * 86_400_000).toISOString().slice(0, 10)
  const row = await db
    .prepare(
      `SELECT coalesce(sum(items), 0) AS items, coalesce(sum(exploratory), 0) AS exploratory
       FROM recs_feed_stats WHERE day >= ?1`,
    )
    .bind(since)
    .first<{ items: number; exploratory: number }>()
  return row && row.items > 0 ? row.exploratory / row.items : null
}

type RunRecord = RebuildRecord & { kind: RunRow['kind'] }

export async function loadRun(db: D1Database, version: string): Promise<RunRecord | null> {
  const row = await db
    .prepare(
      `SELECT r.*, (SELECT count(*) FROM recs_rebuild_batches b
         WHERE b.version = r.version AND b.failed = 1) AS failed
       FROM recs_rebuilds r WHERE r.version = ?1`,
    )
    .bind(version)
    .first<RunRow>()
  return row ? toRecord(row) : null
}

export async function latestRun(
  db: D1Database,
  kind: 'recommendations' | 'preferences',
): Promise<RunRecord | null> {
  const row = await db
    .prepare(
      `SELECT r.*, (SELECT count(*) FROM recs_rebuild_batches b
         WHERE b.version = r.version AND b.failed = 1) AS failed
       FROM recs_rebuilds r WHERE r.kind = ?1 ORDER BY r.started_at DESC LIMIT 1`,
    )
    .bind(kind)
    .first<RunRow>()
  return row ? toRecord(row) : null
}

function toRecord(row: RunRow): RunRecord {
  return {
    version: row.version,
    kind: row.kind,
    trigger: row.trigger,
    startedAt: row.started_at,
    plannedAt: row.planned_at,
    finishedAt: row.finished_at,
    durationMs: row.finished_at === null ? null : row.finished_at - row.started_at,
    items: row.items,
    users: row.users,
    batches: row.batches,
    failedBatches: row.failed,
  }
}
