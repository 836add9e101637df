// D1 reads for the nightly rebuild (serving's are in serving-reads.ts). Every read is a
// bounded page (keyset, LIMIT), because D1 caps bound parameters at 100 and a Worker's
// memory at 128 MB.

import type { CatalogueItem, Interaction } from './engine'

// The one definition of "may be recommended": published, public, creator not banned.
export const VISIBLE = `v.status = 'published' AND v.visibility = 'public' AND u.banned = 0`

interface CatalogueRow {
  id: string
  created_at: number
  published_at: number | null
  labels: string
}

export async function pageCatalogue(
  db: D1Database,
  after: string,
  limit: number,
): Promise<CatalogueItem[]> {
  const { results: rows } = await db
    .prepare(
      `SELECT v.id, v.created_at, v.published_at, v.labels FROM videos v
       JOIN users u ON u.id = v.creator_id
       WHERE ${VISIBLE} AND v.id > ?1 ORDER BY v.id LIMIT ?2`,
    )
    .bind(after, limit)
    .all<CatalogueRow>()
  if (rows.length === 0) return []
  const first = rows[0]?.id ?? ''
  const last = rows[rows.length - 1]?.id ?? ''
  // Categories and tags of the page's id range: two range scans instead of N lookups.
  const [cats, tags] = await Promise.all([
    db
      .prepare(
        `SELECT vc.video_id, vc.category_id, c.parent_id FROM video_categories vc
         JOIN categories c ON c.id = vc.category_id WHERE vc.video_id BETWEEN ?1 AND ?2`,
      )
      .bind(first, last)
      .all<{ video_id: string; category_id: string; parent_id: string }>(),
    db
      .prepare(`SELECT video_id, tag FROM video_tags WHERE video_id BETWEEN ?1 AND ?2`)
      .bind(first, last)
      .all<{ video_id: string; tag: string }>(),
  ])
  const items = new Map<string, CatalogueItem>()
  for (const row of rows) {
    items.set(row.id, {
      id: row.id,
      categories: [],
      parentCategories: [],
      tags: [],
      labels: parseLabels(row.labels),
      createdAt: row.published_at ?? row.created_at,
      published: true,
    })
  }
  for (const c of cats.results) {
    const item = items.get(c.video_id)
    if (!item) continue
    item.categories.push(c.category_id)
    if (!item.parentCategories.includes(c.parent_id)) item.parentCategories.push(c.parent_id)
  }
  for (const t of tags.results) items.get(t.video_id)?.tags.push(t.tag)
  return [...items.values()]
}

function parseLabels(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

interface InteractionRow {
  user_id: string
  video_id: string
  fraction: number | null
  at: number
}

type InteractionTable = 'watches' | 'likes' | 'comments'

// Keyset on each table's primary key (row values use the index), within one range of user
// ids (a shard of the planning step): ?1 since, ?2/?3 the last key seen, ?4 the page size,
// ?5 the range's lower bound (exclusive), then comments' third key part (?6) and the upper
// bound (inclusive), present only when the range has one: an `OR` there would keep SQLite
// from bounding the index search, and the last page of every shard would scan the rest of
// the table (checked with EXPLAIN QUERY PLAN).
function interactionQuery(table: InteractionTable, bounded: boolean): string {
  const upto = (column: string, n: number) => (bounded ? `AND ${column} <= ?${n}` : '')
  switch (table) {
    case 'watches':
      return `SELECT user_id, video_id, watch_fraction AS fraction, updated_at AS at,
          user_id AS k1, video_id AS k2
        FROM watches WHERE (user_id, video_id) > (?2, ?3) AND updated_at >= ?1
          AND user_id > ?5 ${upto('user_id', 6)}
        ORDER BY user_id, video_id LIMIT ?4`
    case 'likes':
      return `SELECT user_id, video_id, NULL AS fraction, created_at AS at,
          user_id AS k1, video_id AS k2
        FROM likes WHERE (user_id, video_id) > (?2, ?3) AND created_at >= ?1
          AND user_id > ?5 ${upto('user_id', 6)}
        ORDER BY user_id, video_id LIMIT ?4`
    // Only published comments: held or rejected ones must not lift a video. By author (the
    // status index would sort every comment of the window for each page); a user's comments
    // come in (created_at, id) order, as they did when the table was read at once.
    case 'comments':
      return `SELECT author_id AS user_id, video_id, NULL AS fraction, created_at AS at,
          author_id AS k1, created_at AS k2, id AS k3
        FROM comments INDEXED BY comments_author_idx
        WHERE status = 'published' AND created_at >= ?1
          AND (author_id, created_at, id) > (?2, ?3, ?6)
          AND author_id > ?5 ${upto('author_id', 7)}
        ORDER BY author_id, created_at, id LIMIT ?4`
  }
}

function toInteraction(table: InteractionTable, row: InteractionRow): Interaction {
  if (table === 'watches') {
    return {
      userId: row.user_id,
      itemId: row.video_id,
      kind: 'view',
      watchFraction: row.fraction ?? 0,
      at: row.at,
    }
  }
  return {
    userId: row.user_id,
    itemId: row.video_id,
    kind: table === 'likes' ? 'like' : 'comment',
    at: row.at,
  }
}

// Every interaction of the window by users in (after, upto] (upto null: no upper bound),
// one bounded page at a time; a user's rows come watches, likes, then comments.
export async function* pageInteractions(
  db: D1Database,
  since: number,
  pageSize: number,
  range: { after: string; upto: string | null } = { after: '', upto: null },
): AsyncGenerator<Interaction[]> {
  for (const table of ['watches', 'likes', 'comments'] as const) {
    // Keys below every real one: ids are text, comment times are numbers.
    let after: Array<string | number> = table === 'comments' ? ['', -1, ''] : ['', '']
    for (;;) {
      // D1 wants every bound parameter used: the list follows the query's clauses.
      const params = [since, after[0] ?? '', after[1] ?? '', pageSize, range.after]
      if (table === 'comments') params.push(after[2] ?? '')
      if (range.upto !== null) params.push(range.upto)
      const { results } = await db
        .prepare(interactionQuery(table, range.upto !== null))
        .bind(...params)
        .all<InteractionRow & { k1: string; k2: string | number; k3?: string }>()
      if (results.length === 0) break
      yield results.map((row) => toInteraction(table, row))
      const last = results[results.length - 1]
      if (!last) break
      after = table === 'comments' ? [last.k1, last.k2, last.k3 ?? ''] : [last.k1, last.k2]
      if (results.length < pageSize) break
    }
  }
}

// A clip marked "not interested" counts against its neighbours as this many skips.
const NOT_INTERESTED_WEIGHT = 3

// Recent history of a few users (a queue batch's worth), for ranking and preferences.
export async function loadHistories(
  db: D1Database,
  userIds: string[],
  since: number,
): Promise<Map<string, Interaction[]>> {
  const ids = JSON.stringify(userIds)
  const inUsers = (column: string) => `${column} IN (SELECT value FROM json_each(?1))`
  const [watched, liked, commented, hidden] = await db.batch<InteractionRow>([
    db
      .prepare(
        `SELECT user_id, video_id, watch_fraction AS fraction, updated_at AS at FROM watches
         WHERE ${inUsers('user_id')} AND updated_at >= ?2 LIMIT 50000`,
      )
      .bind(ids, since),
    db
      .prepare(
        `SELECT user_id, video_id, NULL AS fraction, created_at AS at FROM likes
         WHERE ${inUsers('user_id')} AND created_at >= ?2 LIMIT 50000`,
      )
      .bind(ids, since),
    db
      .prepare(
        `SELECT author_id AS user_id, video_id, NULL AS fraction, created_at AS at FROM comments
         WHERE ${inUsers('author_id')} AND status = 'published' AND created_at >= ?2 LIMIT 50000`,
      )
      .bind(ids, since),
    // "Not interested" has no window: it is a standing request.
    db
      .prepare(
        `SELECT user_id, video_id, NULL AS fraction, created_at AS at FROM not_interested
         WHERE ${inUsers('user_id')} LIMIT 50000`,
      )
      .bind(ids),
  ])
  const out = new Map<string, Interaction[]>()
  const add = (table: InteractionTable, rows: InteractionRow[] | undefined) => {
    for (const row of rows ?? []) {
      const list = out.get(row.user_id) ?? []
      list.push(toInteraction(table, row))
      out.set(row.user_id, list)
    }
  }
  add('watches', watched?.results)
  add('likes', liked?.results)
  add('comments', commented?.results)
  for (const row of hidden?.results ?? []) {
    const list = out.get(row.user_id) ?? []
    list.push({
      userId: row.user_id,
      itemId: row.video_id,
      kind: 'skip',
      weight: NOT_INTERESTED_WEIGHT,
      at: row.at,
    })
    out.set(row.user_id, list)
  }
  return out
}

// Users with any interaction in the window, keyset-paged by id.
export async function pageActiveUsers(
  db: D1Database,
  since: number,
  after: string,
  limit: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT id FROM users u WHERE u.id > ?2 AND u.banned = 0 AND (
         EXISTS (SELECT 1 FROM watches w WHERE w.user_id = u.id AND w.updated_at >= ?1)
         OR EXISTS (SELECT 1 FROM likes l WHERE l.user_id = u.id AND l.created_at >= ?1)
         OR EXISTS (SELECT 1 FROM comments c WHERE c.author_id = u.id AND c.created_at >= ?1
                    AND c.status = 'published'))
       ORDER BY u.id LIMIT ?3`,
    )
    .bind(since, after, limit)
    .all<{ id: string }>()
  return results.map((r) => r.id)
}

export async function catalogueSize(db: D1Database): Promise<number> {
  const row = await db
    .prepare(
      `SELECT count(*) AS n FROM videos v JOIN users u ON u.id = v.creator_id WHERE ${VISIBLE}`,
    )
    .first<{ n: number }>()
  return row?.n ?? 0
}
