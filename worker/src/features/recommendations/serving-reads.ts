// D1 reads for serving: the re-check before anything is shown, and the fallbacks used until
// the nightly lists exist. An id list is passed as one JSON parameter (json_each), because
// D1 caps bound parameters at 100.

import { liveSessionSql } from '../auth/session'
import { VISIBLE } from './catalogue'
import { DAY_MS } from './engine'

// The same rule for a list of ids: the unary `+` keeps SQLite on the primary key. Offered
// videos_feed_idx (status, visibility), it may read every published video and test each
// against the list, so a page would cost in proportion to the catalogue (CARD_SQL in
// videos/present.ts had that plan).
const VISIBLE_AMONG_IDS = `+v.status = 'published' AND +v.visibility = 'public' AND u.banned = 0`

// What one viewer must never be recommended, beyond the global rules: their own clips (their
// profile has them), clips they marked not interested or reported, and every clip of a
// creator they blocked or reported. ?2 is the viewer; the four lookups are primary-key or
// unique-index probes.
const KEPT_FROM_VIEWER = `AND v.creator_id <> ?2
    AND NOT EXISTS (SELECT 1 FROM not_interested n
      WHERE n.user_id = ?2 AND n.video_id = v.id)
    AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = ?2 AND b.blocked_id = v.creator_id)
    AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.reporter_id = ?2
      AND ((r.subject_type = 'user' AND r.subject_id = v.creator_id)
        OR (r.subject_type = 'video' AND r.subject_id = v.id)))`

export interface Viewer {
  userId: string
  // Drop videos this user watched past this fraction (the personal feed; not similar videos).
  watchedThreshold?: number
  // The token hash of the viewer's session, confirmed in the same statement (the signed-in
  // feed, auth/session.ts): one more row, with a null id, while it is live.
  confirmSession?: string
}

// The re-check before anything is shown: which of these ids are recommendable right now,
// with their categories (for the session's interest vector). With a viewer, what that
// viewer blocked, reported or marked not interested (and, with a threshold, watched) is
// dropped in the same query, so serving pays no extra round trip for it.
export async function visibleCategories(
  db: D1Database,
  ids: string[],
  viewer?: Viewer,
): Promise<Map<string, string[]>> {
  if (ids.length === 0) return new Map()
  return readVisibleCategories(await visibleCategoriesStatement(db, ids, viewer).all())
}

// The same re-check as one statement, for serving's DB.batch().
export function visibleCategoriesStatement(
  db: D1Database,
  ids: string[],
  viewer?: Viewer,
): D1PreparedStatement {
  const { sql, params } = visibleCategoriesQuery(ids, viewer)
  return db.prepare(sql).bind(...params)
}

// The re-check's SQL and parameters (apart, so a test can read SQLite's plan for it).
export function visibleCategoriesQuery(
  ids: string[],
  viewer?: Viewer,
): { sql: string; params: Array<string | number> } {
  const personal = viewer ? KEPT_FROM_VIEWER : ''
  const watched =
    viewer?.watchedThreshold !== undefined
      ? `AND NOT EXISTS (SELECT 1 FROM watches w WHERE w.user_id = ?2 AND w.video_id = v.id
         AND w.watch_fraction >= ?3)`
      : ''
  // With a viewer, whether they liked each clip comes in the same rows (the card's heart),
  // so a signed-in page needs no statement of its own for it.
  const liked = viewer
    ? `, EXISTS (SELECT 1 FROM likes l WHERE l.user_id = ?2 AND l.video_id = v.id) AS liked`
    : ''
  // D1 wants every bound parameter used, so the list matches the clauses below.
  const params: Array<string | number> = [JSON.stringify(ids)]
  if (viewer) params.push(viewer.userId)
  if (viewer?.watchedThreshold !== undefined) params.push(viewer.watchedThreshold)
  let session = ''
  if (viewer?.confirmSession !== undefined) {
    params.push(viewer.confirmSession, Date.now())
    const live = liveSessionSql(`?${params.length - 1}`, `?${params.length}`)
    session = `UNION ALL SELECT NULL, NULL, NULL FROM (${live})`
  }
  const sql = `SELECT v.id, group_concat(vc.category_id) AS cats${liked} FROM videos v
       JOIN users u ON u.id = v.creator_id
       LEFT JOIN video_categories vc ON vc.video_id = v.id
       WHERE v.id IN (SELECT value FROM json_each(?1)) AND ${VISIBLE_AMONG_IDS} ${personal} ${watched}
       GROUP BY v.id ${session}`
  return { sql, params }
}

// Whether the session given as `confirmSession` is live, from the same rows.
export function readSessionConfirmed(result: D1Result | undefined): boolean {
  return ((result?.results ?? []) as { id: string | null }[]).some((row) => row.id === null)
}

// The viewer's likes among the rows of `visibleCategoriesStatement` (with a viewer).
export function readLikedAmong(result: D1Result | undefined): Set<string> {
  const rows = (result?.results ?? []) as { id: string; liked?: number }[]
  return new Set(rows.filter((row) => row.liked === 1).map((row) => row.id))
}

export function readVisibleCategories(result: D1Result | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const [id, cats] of readVisibleCategoriesJoined(result)) {
    out.set(id, cats ? cats.split(',') : [])
  }
  return out
}

// The same with each clip's categories comma-separated, as D1 returns them: the signed-in
// feed only hands them on to the FeedState, which splits them once.
export function readVisibleCategoriesJoined(result: D1Result | undefined): Map<string, string> {
  const out = new Map<string, string>()
  for (const row of (result?.results ?? []) as { id: string | null; cats: string | null }[]) {
    // The session's row (confirmSession) names no clip.
    if (row.id !== null) out.set(row.id, row.cats ?? '')
  }
  return out
}

export interface FreshVideo {
  id: string
  createdAt: number
  impressions: number
  categories: string[]
}

// Newest published videos with their view counts: the exploration pool's raw material.
export async function freshVideos(
  db: D1Database,
  now: number,
  limit: number,
  windowDays = 30,
): Promise<FreshVideo[]> {
  return readFreshVideos(await freshVideosStatement(db, now, limit, windowDays).all())
}

export function freshVideosStatement(
  db: D1Database,
  now: number,
  limit: number,
  windowDays = 30,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT v.id, v.published_at AS at, v.view_count AS views,
         (SELECT group_concat(category_id) FROM video_categories WHERE video_id = v.id) AS cats
       FROM videos v JOIN users u ON u.id = v.creator_id
       WHERE ${VISIBLE} AND v.published_at >= ?1
       ORDER BY v.published_at DESC, v.id DESC LIMIT ?2`,
    )
    .bind(now - windowDays * DAY_MS, limit)
}

export function readFreshVideos(result: D1Result | undefined): FreshVideo[] {
  const rows = (result?.results ?? []) as {
    id: string
    at: number
    views: number
    cats: string | null
  }[]
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.at,
    impressions: r.views,
    categories: r.cats ? r.cats.split(',') : [],
  }))
}

// Latest published videos, optionally only within some parent categories or one category:
// the fallback whenever the nightly lists are not built yet.
export async function latestVideoIds(
  db: D1Database,
  filter: { parents?: string[]; categories?: string[] },
  limit: number,
): Promise<string[]> {
  // D1 wants every bound parameter used, so an absent filter is an empty JSON array that
  // switches its clause off.
  const { results } = await db
    .prepare(
      `SELECT v.id FROM videos v JOIN users u ON u.id = v.creator_id
       WHERE ${VISIBLE}
         AND (json_array_length(?2) = 0 OR v.id IN (SELECT vc.video_id FROM video_categories vc
           JOIN categories c ON c.id = vc.category_id
           WHERE c.parent_id IN (SELECT value FROM json_each(?2))))
         AND (json_array_length(?3) = 0 OR v.id IN (SELECT video_id FROM video_categories
           WHERE category_id IN (SELECT value FROM json_each(?3))))
       ORDER BY v.published_at DESC, v.id DESC LIMIT ?1`,
    )
    .bind(limit, JSON.stringify(filter.parents ?? []), JSON.stringify(filter.categories ?? []))
    .all<{ id: string }>()
  return results.map((r) => r.id)
}

export async function parentInterests(db: D1Database, userId: string): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT parent_category_id AS id FROM user_interests WHERE user_id = ?1`)
    .bind(userId)
    .all<{ id: string }>()
  return results.map((r) => r.id)
}
