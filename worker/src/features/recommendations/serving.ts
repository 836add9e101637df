// Per-request feed assembly. KV lists may be a day old, so every id is re-checked against D1
// (published, public, creator not banned) before anything is shown.
//
// D1 lives in one region, so what a page costs a distant viewer is its sequential D1 round
// trips. A signed-in page makes one: a DB.batch() with the re-check, the card rows missing
// from this isolate's card cache, the viewer's likes and the reasons' labels, before the
// FeedState DO picks the page. Anonymous pages (trending, latest, category) are the same for
// everyone: whole pages are cached for at most a minute, so in the steady state they make none.

import { and, inArray } from 'drizzle-orm'
import { z } from 'zod'
import type { Db } from '../../db/client'
import { videos } from '../../db/schema'
import { ApiError } from '../../lib/errors'
import { base64Url, fromBase64Url } from '../../lib/ids'
import {
  listedCardsStatement,
  presentListedCard,
  presentVideos,
  readListedCardRows,
  selectVideoCards,
  visibleToEveryone,
  type ListedCardRow,
  type VideoCard,
} from '../videos/present'
import {
  coldStartFeed,
  selectExplorationCandidates,
  type FeedReason,
  type ItemFacts,
  type ScoredItem,
} from './engine'
import {
  freshVideos,
  freshVideosStatement,
  latestVideoIds,
  parentInterests,
  readFreshVideos,
  readVisibleCategories,
  visibleCategories,
  visibleCategoriesStatement,
  type FreshVideo,
} from './catalogue'
import { feedStateOf } from './feed-state'
import {
  describeReasons,
  describeWithLabels,
  reasonLabelsStatement,
  type CardReason,
} from './reasons'
import { kvKeys, type IdList, type ScoredList } from './store'

const WATCHED = 0.3
// How much of the nightly list one request considers; pages take from its head, and the
// served set in the DO moves the head along.
const EXPLOIT_WINDOW = 150
const FRESH_POOL = 200
// The exploration pool is the same for everyone: one D1 read per isolate every 10 s, so a
// new clip reaches exploration within seconds. An empty pool is not kept (a young platform
// must show its first clips at once). Its ids are re-checked with the rest, so a video
// hidden meanwhile is still never served.
// A personal page uses the pool it has and, when the pool is older than this, refreshes it in
// the same DB.batch() as its re-check (for the next page): no round trip of its own.
const FRESH_TTL_MS = 10_000
let freshCache: { at: number; videos: FreshVideo[] } | undefined

async function cachedFreshVideos(db: D1Database, now: number): Promise<FreshVideo[]> {
  if (freshCache && now - freshCache.at < FRESH_TTL_MS) return freshCache.videos
  const videos = await freshVideos(db, now, FRESH_POOL)
  keepFreshVideos(now, videos)
  return videos
}

function keepFreshVideos(now: number, videos: FreshVideo[]): void {
  freshCache = videos.length > 0 ? { at: now, videos } : undefined
}

// Card rows (everything on a card but the viewer's like) of clips this isolate served lately.
// Only used for ids the same request's D1 re-check found visible, so a takedown still leaves
// at once; titles and counts may be this old.
const CARD_TTL_MS = 60_000
const CARD_CACHE_MAX = 10_000
const cardCache = new Map<string, { at: number; row: ListedCardRow }>()

function cachedCardRow(id: string, now: number): ListedCardRow | undefined {
  const hit = cardCache.get(id)
  if (!hit) return undefined
  if (now - hit.at < CARD_TTL_MS) return hit.row
  cardCache.delete(id)
  return undefined
}

function keepCardRows(rows: ListedCardRow[], now: number): void {
  for (const row of rows) {
    cardCache.delete(row.id)
    cardCache.set(row.id, { at: now, row })
  }
  // Map order is insertion order: the oldest go first.
  for (const id of cardCache.keys()) {
    if (cardCache.size <= CARD_CACHE_MAX) break
    cardCache.delete(id)
  }
}

// Tests create and hide videos and expect the next request to see it: this isolate's pools,
// cards and anonymous pages are dropped.
export function forgetFreshVideos(): void {
  freshCache = undefined
  cardCache.clear()
  anonymousPages.clear()
  pageEpoch++
}

// Anonymous pages are the same for everyone: a page is kept whole, in this isolate and in KV
// for the other isolates, and rebuilt from D1 in the background once it is 30 s old. None is
// ever served older than 60 s, so a takedown (rejection, deletion, ban) leaves every cached
// anonymous page within a minute whatever else happens; the clip's own page and signed-in
// feeds read D1 and lose it at once.
const ANONYMOUS_FRESH_MS = 30_000
export const ANONYMOUS_MAX_AGE_MS = 60_000
const ANONYMOUS_PAGES_MAX = 1000
// KV's shortest expiry; readers go by builtAt, this only clears out old pages.
const ANONYMOUS_KV_TTL_SECONDS = 120

interface CachedPage {
  builtAt: number
  body: unknown
}

const anonymousPages = new Map<string, CachedPage>()
const refreshing = new Set<string>()
// Part of the shared (KV) key; only forgetFreshVideos (tests) moves it, so that pages cached
// before are not read back from KV.
let pageEpoch = 0
const sharedKey = (key: string) => kvKeys.anonymousPage(`${pageEpoch}:${key}`)

function keepAnonymousPage(key: string, page: CachedPage): void {
  anonymousPages.delete(key)
  anonymousPages.set(key, page)
  for (const old of anonymousPages.keys()) {
    if (anonymousPages.size <= ANONYMOUS_PAGES_MAX) break
    anonymousPages.delete(old)
  }
}

async function buildAnonymousPage<T>(
  env: Env,
  key: string,
  build: () => Promise<T>,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<T> {
  const builtAt = Date.now()
  const body = await build()
  const page: CachedPage = { builtAt, body }
  keepAnonymousPage(key, page)
  // Isolates refreshing the same page at once may exceed KV's one write per key per second:
  // the page is then shared a little later, nothing else changes.
  waitUntil(
    env.RECS.put(sharedKey(key), JSON.stringify(page), {
      expirationTtl: ANONYMOUS_KV_TTL_SECONDS,
    }).catch((err: unknown) => {
      console.error(
        JSON.stringify({ level: 'warn', event: 'anonymous-page-share', key, error: String(err) }),
      )
    }),
  )
  return body
}

// `key` names the page (route, cursor, limit); `build` makes it from D1 for nobody in
// particular. The caller guarantees the body holds nothing personal.
export async function cachedAnonymousPage<T>(
  env: Env,
  key: string,
  build: () => Promise<T>,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<T> {
  const now = Date.now()
  let page = anonymousPages.get(key)
  if (!page || now - page.builtAt >= ANONYMOUS_FRESH_MS) {
    const shared = await env.RECS.get<CachedPage>(sharedKey(key), 'json')
    if (shared && (!page || shared.builtAt > page.builtAt)) {
      page = shared
      keepAnonymousPage(key, shared)
    }
  }
  const age = page ? now - page.builtAt : Infinity
  // The body is what `build` returned for this same key.
  if (page && age < ANONYMOUS_FRESH_MS) return page.body as T
  if (page && age < ANONYMOUS_MAX_AGE_MS) {
    if (!refreshing.has(key)) {
      refreshing.add(key)
      waitUntil(
        buildAnonymousPage(env, key, build, waitUntil)
          .catch((err: unknown) => {
            console.error(
              JSON.stringify({
                level: 'error',
                event: 'anonymous-page-refresh',
                key,
                error: String(err),
              }),
            )
          })
          .finally(() => refreshing.delete(key)),
      )
    }
    return page.body as T
  }
  return buildAnonymousPage(env, key, build, waitUntil)
}

// Opaque page tokens. Personal feeds only need "which page" (the DO knows what was served);
// anonymous ones carry their position in trending, or the latest keyset when nothing is built.
const cursorSchema = z.union([
  z.object({ p: z.number().int().min(0) }),
  z.object({ t: z.number().int().min(0) }),
  z.object({ at: z.number(), id: z.string().max(64) }),
])
type FeedCursor = z.infer<typeof cursorSchema>

export function encodeFeedCursor(cursor: FeedCursor): string {
  return base64Url(new TextEncoder().encode(JSON.stringify(cursor)))
}

export function decodeFeedCursor(text: string | undefined): FeedCursor | undefined {
  if (!text) return undefined
  try {
    return cursorSchema.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(text))))
  } catch {
    throw new ApiError(400, 'invalid_cursor', 'The page cursor is not valid')
  }
}

// A feed card says why it is there ("Why am I seeing this?").
export type FeedCard = VideoCard & { reason: CardReason }

export interface FeedResponse {
  videos: FeedCard[]
  nextCursor: string | null
  exploratory: number
}

// Cards in the order given, only for ids that are still visible to everyone.
export async function cardsInOrder(
  db: Db,
  ids: string[],
  viewerId: string | null,
): Promise<VideoCard[]> {
  if (ids.length === 0) return []
  const rows = await selectVideoCards(db).where(
    and(inArray(videos.id, ids), visibleToEveryone({ listed: true })),
  )
  const cards = new Map((await presentVideos(db, rows, viewerId)).map((c) => [c.id, c]))
  return ids.flatMap((id) => {
    const card = cards.get(id)
    return card ? [card] : []
  })
}

interface Placed {
  itemId: string
  reason?: FeedReason
}

// Feed cards in the order given, each with its reason in words; the reasons' titles and
// names are read in one statement beside the card query, not after it.
async function feedCards(db: Db, placed: Placed[], viewerId: string | null): Promise<FeedCard[]> {
  const [cards, describe] = await Promise.all([
    cardsInOrder(
      db,
      placed.map((p) => p.itemId),
      viewerId,
    ),
    describeReasons(
      db.$client,
      placed.flatMap((p) => (p.reason ? [p.reason] : [])),
      viewerId,
    ),
  ])
  const reasons = new Map(placed.map((p) => [p.itemId, p.reason]))
  return cards.map((card) => ({ ...card, reason: describe(reasons.get(card.id)) }))
}

// Brand-new clips, shown before any list is built: new to everyone, so "something new".
const LATEST: FeedReason = { kind: 'explore' }

async function coldStart(env: Env, userId: string): Promise<ScoredItem[]> {
  const parents = await parentInterests(env.DB, userId)
  const [lists, trending] = await Promise.all([
    Promise.all(parents.map((p) => env.RECS.get<IdList>(kvKeys.parentCategory(p), 'json'))),
    env.RECS.get<ScoredList>(kvKeys.trending, 'json'),
  ])
  const parentLists = new Map<string, string[]>()
  parents.forEach((p, i) => {
    const list = lists[i]
    if (list) parentLists.set(p, list.items)
  })
  // Before the first rebuild there are no lists: the newest videos of the chosen parents,
  // and when nothing is trending yet either, the newest of all, so a new viewer never faces
  // an empty feed.
  if (parentLists.size === 0) {
    const chosen = parents.length > 0 ? await latestVideoIds(env.DB, { parents }, 100) : []
    const noTrending = !trending?.items.length
    if (chosen.length > 0 || noTrending) {
      const rest = noTrending && chosen.length < 100 ? await latestVideoIds(env.DB, {}, 100) : []
      const latest = [...new Set([...chosen, ...rest])].slice(0, 100)
      return latest.map((itemId, i) => ({
        itemId,
        score: 1 - i / (latest.length + 1),
        reason: LATEST,
      }))
    }
  }
  const facts: ItemFacts = { categories: [], parentCategories: [], createdAt: 0 }
  const feed = coldStartFeed(
    {
      item: () => facts,
      neighbours: () => undefined,
      engagement: () => 0,
      categoryList: () => undefined,
      parentCategoryList: (p) => parentLists.get(p),
      trending: () => trending?.items ?? [],
    },
    parents,
    100,
  )
  // List order is the ranking; scores by position keep it through the interest re-rank.
  return feed.map((s, i) => ({
    itemId: s.itemId,
    score: 1 - i / (feed.length + 1),
    ...(s.reason ? { reason: s.reason } : {}),
  }))
}

export async function personalFeed(
  env: Env,
  db: Db,
  userId: string,
  limit: number,
  waitUntil: (promise: Promise<unknown>) => void,
  // The first page of a visit (no cursor): when everything unseen has been served, it
  // shows again clips served before but not watched, rather than an empty feed. Pages
  // that follow a cursor never repeat.
  firstPage = false,
): Promise<FeedResponse> {
  const now = Date.now()
  const [stored, fresh] = await Promise.all([
    env.RECS.get<ScoredList>(kvKeys.feed(userId), 'json'),
    // Only a cold isolate waits for the pool; after that it is refreshed inside the batch.
    freshCache ? freshCache.videos : cachedFreshVideos(env.DB, now),
  ])
  const exploit = (
    stored && stored.items.length > 0 ? stored.items : await coldStart(env, userId)
  ).slice(0, EXPLOIT_WINDOW)
  const exploration = selectExplorationCandidates(fresh, now, { limit: FRESH_POOL })
  const candidates = [...new Set([...exploit.map((s) => s.itemId), ...exploration])]
  const known = new Map<string, ListedCardRow>()
  for (const id of candidates) {
    const row = cachedCardRow(id, now)
    if (row) known.set(id, row)
  }
  const missing = candidates.filter((id) => !known.has(id))

  // The page's one round trip. The re-check drops what is no longer visible and what the
  // user watched, marked not interested, reported, or made by a creator they blocked or
  // reported; beside it the missing card rows, the user's likes among the candidates, the
  // labels of the candidates' reasons and, when due, the next exploration pool.
  const labels = reasonLabelsStatement(
    env.DB,
    exploit.flatMap((s) => (s.reason ? [s.reason] : [])),
    userId,
  )
  const refreshPool = !freshCache || now - freshCache.at >= FRESH_TTL_MS
  const statements = [
    visibleCategoriesStatement(env.DB, candidates, { userId, watchedThreshold: WATCHED }),
    env.DB.prepare(
      `SELECT video_id FROM likes WHERE user_id = ?1
         AND video_id IN (SELECT value FROM json_each(?2))`,
    ).bind(userId, JSON.stringify(candidates)),
    listedCardsStatement(env.DB, missing),
    ...(labels ? [labels] : []),
    ...(refreshPool ? [freshVideosStatement(env.DB, now, FRESH_POOL)] : []),
  ]
  const results = await env.DB.batch(statements)
  const visible = readVisibleCategories(results[0])
  const liked = new Set(
    ((results[1]?.results ?? []) as { video_id: string }[]).map((r) => r.video_id),
  )
  const fetched = readListedCardRows(results[2])
  keepCardRows(fetched, now)
  for (const row of fetched) known.set(row.id, row)
  const describe = describeWithLabels(labels ? (results[3]?.results ?? []) : [])
  if (refreshPool) keepFreshVideos(now, readFreshVideos(results[statements.length - 1]))
  const categoriesOf = Object.fromEntries(visible)

  const page = await feedStateOf(env, userId).nextPage({
    userId,
    exploit,
    exploration,
    categoriesOf,
    now,
    pageSize: limit,
  })
  const placed: Placed[] = [...page.items]
  if (firstPage && placed.length < limit) {
    const shown = new Set(placed.map((p) => p.itemId))
    const explore: FeedReason = { kind: 'explore' }
    const again = [...exploit, ...exploration.map((itemId) => ({ itemId, reason: explore }))]
    for (const item of again) {
      if (placed.length >= limit) break
      if (!shown.has(item.itemId) && visible.has(item.itemId)) {
        shown.add(item.itemId)
        placed.push({ itemId: item.itemId, reason: item.reason })
      }
    }
  }
  // Only ids this request's re-check found visible become cards.
  const cards: FeedCard[] = placed.flatMap((p) => {
    const row = visible.has(p.itemId) ? known.get(p.itemId) : undefined
    if (!row) return []
    return [{ ...presentListedCard(row, liked.has(row.id), userId), reason: describe(p.reason) }]
  })
  const flush = recordPageStats(env.DB, now, cards.length, page.exploratory)
  if (flush) waitUntil(flush)
  return {
    videos: cards,
    nextCursor: placed.length > 0 ? encodeFeedCursor({ p: page.page }) : null,
    exploratory: page.exploratory,
  }
}

export async function anonymousFeed(
  env: Env,
  db: Db,
  cursor: FeedCursor | undefined,
  limit: number,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<FeedResponse> {
  const key = `feed:${cursor ? encodeFeedCursor(cursor) : ''}:${limit}`
  return cachedAnonymousPage(env, key, () => buildAnonymousFeed(env, db, cursor, limit), waitUntil)
}

async function buildAnonymousFeed(
  env: Env,
  db: Db,
  cursor: FeedCursor | undefined,
  limit: number,
): Promise<FeedResponse> {
  const trending =
    cursor && 'at' in cursor ? null : await env.RECS.get<ScoredList>(kvKeys.trending, 'json')
  if (trending && trending.items.length > 0) {
    let offset = cursor && 't' in cursor ? cursor.t : 0
    const cards: FeedCard[] = []
    // The card query is the re-check (it applies the visibility rules); stale entries are
    // dropped and the next window tops the page up.
    while (cards.length < limit && offset < trending.items.length) {
      const window = trending.items.slice(offset, offset + limit + 5)
      const found = new Map((await feedCards(db, window, null)).map((c) => [c.id, c]))
      for (const { itemId } of window) {
        offset++
        const card = found.get(itemId)
        if (card) cards.push(card)
        if (cards.length >= limit) break
      }
    }
    return {
      videos: cards,
      nextCursor: offset < trending.items.length ? encodeFeedCursor({ t: offset }) : null,
      exploratory: 0,
    }
  }
  // Nothing built yet: newest first, keyset-paged.
  const before = cursor && 'at' in cursor ? cursor : undefined
  const { results } = await env.DB.prepare(
    `SELECT v.id, v.published_at AS at FROM videos v JOIN users u ON u.id = v.creator_id
     WHERE v.status = 'published' AND v.visibility = 'public' AND u.banned = 0
       AND (?1 IS NULL OR v.published_at < ?1 OR (v.published_at = ?1 AND v.id < ?2))
     ORDER BY v.published_at DESC, v.id DESC LIMIT ?3`,
  )
    .bind(before?.at ?? null, before?.id ?? '', limit + 1)
    .all<{ id: string; at: number }>()
  const page = results.slice(0, limit)
  const last = page[page.length - 1]
  return {
    videos: await feedCards(
      db,
      page.map((r) => ({ itemId: r.id, reason: LATEST })),
      null,
    ),
    nextCursor:
      results.length > limit && last ? encodeFeedCursor({ at: last.at, id: last.id }) : null,
    exploratory: 0,
  }
}

// With a viewer, what they blocked, reported or marked not interested is left out.
export async function similarVideoIds(
  env: Env,
  videoId: string,
  limit: number,
  viewerId: string | null = null,
): Promise<string[]> {
  const stored = await env.RECS.get<ScoredList>(kvKeys.similar(videoId), 'json')
  let candidates = stored?.items.map((s) => s.itemId) ?? []
  if (candidates.length === 0) {
    // Not built yet (or a brand-new video): the newest videos of the same categories.
    const { results } = await env.DB.prepare(
      `SELECT category_id FROM video_categories WHERE video_id = ?1`,
    )
      .bind(videoId)
      .all<{ category_id: string }>()
    const categories = results.map((r) => r.category_id)
    candidates = await latestVideoIds(
      env.DB,
      categories.length > 0 ? { categories } : {},
      limit + 1,
    )
  }
  candidates = candidates.filter((id) => id !== videoId)
  const visible = await visibleCategories(
    env.DB,
    candidates,
    viewerId ? { userId: viewerId } : undefined,
  )
  return candidates.filter((id) => visible.has(id)).slice(0, limit)
}

// Served-page totals are summed in the isolate and written at most every 10 s, so a feed
// request does not pay a D1 write; an evicted isolate loses at most those seconds of stats.
const STATS_FLUSH_MS = 10_000
const pendingStats = { pages: 0, items: 0, exploratory: 0 }
let lastStatsFlush = 0

function recordPageStats(
  db: D1Database,
  now: number,
  items: number,
  exploratory: number,
): Promise<void> | undefined {
  pendingStats.pages++
  pendingStats.items += items
  pendingStats.exploratory += exploratory
  if (now - lastStatsFlush < STATS_FLUSH_MS) return undefined
  lastStatsFlush = now
  const batch = { ...pendingStats }
  pendingStats.pages = 0
  pendingStats.items = 0
  pendingStats.exploratory = 0
  return flushPageStats(db, now, batch)
}

async function flushPageStats(
  db: D1Database,
  now: number,
  batch: { pages: number; items: number; exploratory: number },
): Promise<void> {
  try {
    await db
      .prepare(
        `INSERT INTO recs_feed_stats (day, pages, items, exploratory) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(day) DO UPDATE SET pages = pages + excluded.pages,
           items = items + excluded.items, exploratory = exploratory + excluded.exploratory`,
      )
      .bind(new Date(now).toISOString().slice(0, 10), batch.pages, batch.items, batch.exploratory)
      .run()
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'error', event: 'feed-stats-failed', error: String(err) }),
    )
  }
}
