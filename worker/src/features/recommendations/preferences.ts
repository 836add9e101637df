// The 04:00 job: per-user category preferences over the window -> user_category_interest,
// planned by the cron and written by bounded queue batches.

import { DAY_MS, analysePreferences } from './engine'
import { loadHistories, pageActiveUsers } from './catalogue'
import { visibleCategories } from './serving-reads'
import { type RecsMessage } from './rebuild'
import { finishIfComplete, startRun } from './runs'
import { loadRecsConfig } from './store'

export async function analyseUserPreferences(
  env: Env,
  trigger = 'cron',
): Promise<{ version: string; users: number; batches: number }> {
  const config = await loadRecsConfig(env)
  const now = Date.now()
  const version = `p${now.toString(36)}-${(crypto.getRandomValues(new Uint32Array(1))[0] ?? 0).toString(36)}`
  await startRun(env.DB, { version, kind: 'preferences', trigger, startedAt: now })
  const since = now - config.windowDays * DAY_MS
  const messages: RecsMessage[] = []
  let users = 0
  for (let after = ''; ;) {
    const page = await pageActiveUsers(env.DB, since, after, config.pageSize)
    for (let i = 0; i < page.length; i += config.userBatchSize) {
      const userIds = page.slice(i, i + config.userBatchSize)
      messages.push({ type: 'recs.preferences', version, batch: messages.length, userIds })
      users += userIds.length
    }
    if (page.length < config.pageSize) break
    after = page[page.length - 1] ?? after
  }
  await env.DB.prepare(
    `UPDATE recs_rebuilds SET users = ?2, batches = ?3, planned_at = ?4 WHERE version = ?1`,
  )
    .bind(version, users, messages.length, Date.now())
    .run()
  for (let i = 0; i < messages.length; i += 100) {
    await env.RECS_QUEUE.sendBatch(messages.slice(i, i + 100).map((body) => ({ body })))
  }
  if (messages.length === 0) await finishIfComplete(env, version)
  return { version, users, batches: messages.length }
}

// Replaces each user's rows in one transaction, so a redelivered batch converges to the same
// rows and a user whose activity faded loses stale preferences.
export async function writePreferenceBatch(env: Env, userIds: string[]): Promise<void> {
  const config = await loadRecsConfig(env)
  const now = Date.now()
  const histories = await loadHistories(env.DB, userIds, now - config.windowDays * DAY_MS)
  const interactions = [...histories.values()].flat()
  const categories = await visibleCategories(env.DB, [
    ...new Set(interactions.map((i) => i.itemId)),
  ])
  const preferences = analysePreferences(interactions, (id) => categories.get(id), {
    now,
    windowDays: config.windowDays,
  })
  const statements: D1PreparedStatement[] = []
  for (const userId of userIds) {
    statements.push(
      env.DB.prepare(`DELETE FROM user_category_interest WHERE user_id = ?1`).bind(userId),
    )
    for (const p of preferences.get(userId) ?? []) {
      statements.push(
        env.DB.prepare(
          `INSERT INTO user_category_interest (user_id, category_id, score, interaction_count, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5)`,
        ).bind(userId, p.category, p.score, p.interactions, now),
      )
    }
  }
  if (statements.length > 0) await env.DB.batch(statements)
}
