// Per-request feed assembly. KV lists may be a day old, so every id is re-checked against D1
// (published, public, creator not banned) before anything is shown.
//
// D1 lives in one region, so what a page costs a distant viewer is its sequential D1 round
// trips. A signed-in page makes one: a DB.batch() with the re-check (whose rows carry the
// viewer's likes), the card rows missing from this isolate's card cache, the reasons'
// labels and the session's confirmation (the session itself then comes from a record the
// isolate holds, with no KV read), before the FeedState DO picks the page. Anonymous pages (trending, latest, category) are the same for
// everyone: whole pages are cached for at most a minute, so in the steady state they make none.

import { z } from 'zod'
import type { Db } from '../../db/client'
import { ApiError } from '../../lib/errors'
import { base64Url, fromBase64Url } from '../../lib/ids'
import { forgetSession } from '../auth/session'
import {
  listedCardsStatement,
  presentListedCard,
  presentVideos,
  readListedCardRows,
  selectListedCardsById,
  type ListedCardRow,
  type VideoCard,
} from '../videos/present'
import {
  coldStartFeed,
  defaultPageOptions,
  selectExplorationCandidates,
  similarItems,
  type FeedReason,
  type ItemFacts,
  type PageItem,
  type ScoredItem,
  type StoredSimilarList,
} from './engine'
import {
  freshVideos,
  freshVideosStatement,
  latestVideoIds,
  parentInterests,
  readFreshVideos,
  readVisibleCategoriesJoined,
  visibleCategories,
  readLikedAmong,
  readSessionConfirmed,
  visibleCategoriesStatement,
  type FreshVideo,
} from './serving-reads'
import { feedStateOf, nextPageInput, type NextPageInput } from './feed-state'
import {
  describeReasons,
  describeWithLabels,
  reasonLabelsStatement,
  type CardReason,
} from './reasons'
import { cachedAnonymousPage, forgetAnonymousPages } from './anonymous-pages'
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
// The pool is kept ranked: a clip's score is its freshness (0.5^(age / half-life)) times its
// under-exposure, and a later `now` multiplies every freshness by the same factor, so the
// order only changes when the pool is read again.
let freshCache: { at: number; ranked: string[] } | undefined

async function cachedExploration(db: D1Database, now: number): Promise<string[]> {
  if (freshCache && now - freshCache.at < FRESH_TTL_MS) return freshCache.ranked
  keepFreshVideos(now, await freshVideos(db, now, FRESH_POOL))
  return freshCache?.ranked ?? []
}

function keepFreshVideos(now: number, videos: FreshVideo[]): void {
  freshCache =
    videos.length > 0
      ? { at: now, ranked: selectExplorationCandidates(videos, now, { limit: FRESH_POOL }) }
      : undefined
}

// The head of each viewer's nightly list as read from KV, kept a minute per isolate: a
// visit's pages follow each other within seconds and the list changes once a night, so the
// next pages skip the KV read and the parse of up to 1000 scored items. The list only orders
// candidates (every id is re-checked when a page is made), so a copy up to a minute older
// than a rebuild only delays the new order.
const LIST_TTL_MS = 60_000
const LIST_CACHE_MAX = 1000
const listCache = new Map<string, { at: number; items: ScoredItem[] }>()

async function storedList(env: Env, userId: string, now: number): Promise<ScoredItem[] | null> {
  const hit = listCache.get(userId)
  if (hit && now - hit.at < LIST_TTL_MS) return hit.items
  listCache.delete(userId)
  const stored = await env.RECS.get<ScoredList>(kvKeys.feed(userId), 'json')
  if (!stored || stored.items.length === 0) return null
  const items = stored.items.slice(0, EXPLOIT_WINDOW)
  listCache.set(userId, { at: now, items })
  for (const old of listCache.keys()) {
    if (listCache.size <= LIST_CACHE_MAX) break
    listCache.delete(old)
  }
  return items
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
  seenCache.clear()
  listCache.clear()
  forgetAnonymousPages()
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
  const rows = await selectListedCardsById(db, ids)
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

// What each viewer's FeedState reported as never to be served again (served, watched,
// hidden) among the candidates it was sent, plus what the re-check dropped for them, so the
// next page re-checks only unseen candidates: the page's size plus a margin of the list and
// the exploration window, ~80 ids instead of ~350 (bench/recs/feed.mjs: the re-check, the
// rows it returns and the DO's arguments were a third of a signed-in page's CPU). Keyed by
// viewer and only a hint: every id served is still re-checked in the same request and
// filtered by the DO, so a stale or missing hint (another isolate served the last page, a
// new isolate) costs at most a second re-check of the remaining candidates, never a repeat
// or a hidden clip. A clip the re-check dropped (a blocked creator's, one taken down) is
// passed over for this viewer until the entry expires, unless a page comes out short: an
// entry lives 10 minutes from its first page however often it is updated, then one page
// checks every candidate again and starts a new one.
const SEEN_TTL_MS = 10 * 60_000
// Entries hold only ids among the viewer's current candidates (at most ~350).
const SEEN_USERS_MAX = 1000
const seenCache = new Map<string, { since: number; ids: Set<string> }>()

function seenBy(userId: string, now: number): { since: number; ids: Set<string> } | undefined {
  const hit = seenCache.get(userId)
  if (!hit) return undefined
  if (now - hit.since < SEEN_TTL_MS) return hit
  seenCache.delete(userId)
  return undefined
}

function keepSeen(userId: string, since: number, ids: Set<string>): void {
  seenCache.delete(userId)
  seenCache.set(userId, { since, ids })
  for (const old of seenCache.keys()) {
    if (seenCache.size <= SEEN_USERS_MAX) break
    seenCache.delete(old)
  }
}

// List items re-checked per page beyond the page's size: the session's interest re-ranks
// the unseen head of the list within this window.
const EXPLOIT_MARGIN = 20
// The DO draws exploration from this many unseen pool entries.
const EXPLORATION_CHECKED = defaultPageOptions.explorationWindow

interface Round {
  exploit: ScoredItem[]
  exploration: string[]
}

interface Checked {
  // Visible ids and their categories, comma-separated.
  visible: Map<string, string>
  liked: Set<string>
  labelRows: unknown[]
}

export async function personalFeed(
  env: Env,
  db: Db,
  userId: string,
  limit: number,
  waitUntil: (promise: Promise<unknown>) => void,
  options: {
    // The first page of a visit (no cursor): when everything unseen has been served, it
    // shows again clips served before but not watched, rather than an empty feed. Pages
    // that follow a cursor never repeat.
    firstPage?: boolean
    // The token hash of a session the route took from a record (auth/session.ts): it is
    // confirmed in the page's DB.batch(), and when it is no longer live nothing personal is
    // done or served (null: the route serves the viewer as signed out).
    confirmSession?: string | undefined
  } = {},
): Promise<FeedResponse | null> {
  const { firstPage = false } = options
  let unconfirmed = options.confirmSession
  const now = Date.now()
  const [stored, exploration] = await Promise.all([
    storedList(env, userId, now),
    // Only a cold isolate waits for the pool; after that it is refreshed inside the batch.
    freshCache ? freshCache.ranked : cachedExploration(env.DB, now),
  ])
  const exploit = (stored ?? (await coldStart(env, userId))).slice(0, EXPLOIT_WINDOW)
  // Reasons stay here: the DO only says which arm placed an item.
  const reasons = new Map<string, FeedReason | undefined>()
  for (const s of exploit) if (!reasons.has(s.itemId)) reasons.set(s.itemId, s.reason)
  const hint = seenBy(userId, now)
  const seen = new Set(hint?.ids)
  const checkedIds = new Set<string>()
  const known = new Map<string, ListedCardRow>()
  const visible = new Map<string, string>()
  const liked = new Set<string>()
  const labelRows: unknown[] = []

  // One round: the re-check of these candidates in one DB.batch(), then the DO picks from
  // those still visible. The re-check drops what is no longer visible and what the user
  // watched, marked not interested, reported, or made by a creator they blocked or reported;
  // beside it the missing card rows, the user's likes among the candidates, the labels of the
  // candidates' reasons and, when due, the next exploration pool.
  const check = async (round: Round): Promise<Checked | null> => {
    const candidates = [...new Set([...round.exploit.map((s) => s.itemId), ...round.exploration])]
    for (const id of candidates) checkedIds.add(id)
    const missing: string[] = []
    for (const id of candidates) {
      const row = cachedCardRow(id, now)
      if (row) known.set(id, row)
      else missing.push(id)
    }
    const labels = reasonLabelsStatement(
      env.DB,
      round.exploit.flatMap((s) => (s.reason ? [s.reason] : [])),
      userId,
    )
    const refreshPool = !freshCache || now - freshCache.at >= FRESH_TTL_MS
    const confirming = unconfirmed
    const statements = [
      visibleCategoriesStatement(env.DB, candidates, {
        userId,
        watchedThreshold: WATCHED,
        ...(confirming ? { confirmSession: confirming } : {}),
      }),
      ...(missing.length > 0 ? [listedCardsStatement(env.DB, missing)] : []),
      ...(labels ? [labels] : []),
      ...(refreshPool ? [freshVideosStatement(env.DB, now, FRESH_POOL)] : []),
    ]
    const results = await env.DB.batch(statements)
    if (confirming) {
      if (!readSessionConfirmed(results[0])) return null
      unconfirmed = undefined
    }
    let at = 0
    const likes = readLikedAmong(results[at])
    const found = readVisibleCategoriesJoined(results[at++])
    if (missing.length > 0) {
      const fetched = readListedCardRows(results[at++])
      keepCardRows(fetched, now)
      for (const row of fetched) known.set(row.id, row)
    }
    const rows = labels ? (results[at++]?.results ?? []) : []
    if (refreshPool) keepFreshVideos(now, readFreshVideos(results[at++]))
    for (const id of candidates) if (!found.has(id)) seen.add(id)
    return { visible: found, liked: likes, labelRows: rows }
  }

  // The DO picks from every candidate this request found visible, in list and pool order
  // (the second round's call sees the first round's leftovers too).
  const pick = async (
    round: Round,
    pageSize: number,
    more: Pick<NextPageInput, 'topUp' | 'fillFromPool'>,
  ) => {
    const checked = await check(round)
    if (!checked) return null
    for (const [id, cats] of checked.visible) visible.set(id, cats)
    for (const id of checked.liked) liked.add(id)
    labelRows.push(...checked.labelRows)
    // Only ids with categories (visible ones) can be served, so only those are sent, and
    // without their reasons: the call's arguments are cloned on both sides.
    const page = await feedStateOf(env, userId).nextPage(
      nextPageInput({
        userId,
        exploit: exploit.filter((s) => visible.has(s.itemId)),
        exploration: exploration.filter((id) => visible.has(id)),
        categoriesOf: visible,
        now,
        pageSize,
        ...more,
      }),
    )
    for (const id of page.consumed) seen.add(id)
    return page
  }

  // With a hint, only the page's worth of unseen candidates; without one, or when fewer than
  // a page are unseen (the first page of a visit then shows served clips again), all of them.
  const wanted = limit + EXPLOIT_MARGIN
  const narrowed: Round = {
    exploit: exploit.filter((s) => !seen.has(s.itemId)).slice(0, wanted),
    exploration: exploration.filter((id) => !seen.has(id)).slice(0, EXPLORATION_CHECKED),
  }
  const firstRound: Round =
    seen.size > 0 && narrowed.exploit.length + narrowed.exploration.length >= limit
      ? narrowed
      : { exploit, exploration }
  const first = await pick(firstRound, limit, {
    // Part of the list: a short page is topped up from the rest of it, not from the pool.
    ...(firstRound.exploit.length >= wanted && firstRound.exploit.length < exploit.length
      ? { fillFromPool: false }
      : {}),
  })
  if (!first) {
    waitUntil(forgetSession(env, options.confirmSession ?? ''))
    return null
  }
  const explore: FeedReason = { kind: 'explore' }
  const reasonOf = (item: PageItem): FeedReason | undefined =>
    item.arm === 'explore' ? explore : reasons.get(item.itemId)
  const placed: Placed[] = first.items.map((item) => ({
    itemId: item.itemId,
    reason: reasonOf(item),
  }))
  let exploratory = first.exploratory
  let pageNumber = first.page
  // Short because the hint left candidates out (or they were taken meanwhile): the rest of
  // the candidates, once, in a second round.
  const rest: Round = {
    exploit: exploit.filter((s) => !checkedIds.has(s.itemId)),
    exploration: exploration.filter((id) => !checkedIds.has(id)),
  }
  if (placed.length < limit && rest.exploit.length + rest.exploration.length > 0) {
    const more = await pick(rest, limit - placed.length, { topUp: true })
    // Only the first round confirms the session, so a second always has a page.
    if (!more) throw new Error('unreachable: the session was confirmed by the first round')
    for (const item of more.items) placed.push({ itemId: item.itemId, reason: reasonOf(item) })
    exploratory += more.exploratory
    pageNumber = more.page
  }
  if (firstPage && placed.length < limit) {
    const shown = new Set(placed.map((p) => p.itemId))
    const again = [...exploit, ...exploration.map((itemId) => ({ itemId, reason: explore }))]
    for (const item of again) {
      if (placed.length >= limit) break
      if (!shown.has(item.itemId) && visible.has(item.itemId)) {
        shown.add(item.itemId)
        placed.push({ itemId: item.itemId, reason: item.reason })
      }
    }
  }
  for (const p of placed) seen.add(p.itemId)
  const current = new Set([...exploit.map((s) => s.itemId), ...exploration])
  keepSeen(userId, hint?.since ?? now, new Set([...seen].filter((id) => current.has(id))))
  const describe = describeWithLabels(labelRows)
  // Only ids this request's re-check found visible become cards.
  const cards: FeedCard[] = placed.flatMap((p) => {
    const row = visible.has(p.itemId) ? known.get(p.itemId) : undefined
    if (!row) return []
    return [{ ...presentListedCard(row, liked.has(row.id), userId), reason: describe(p.reason) }]
  })
  const flush = recordPageStats(env.DB, now, cards.length, exploratory)
  if (flush) waitUntil(flush)
  return {
    videos: cards,
    nextCursor: placed.length > 0 ? encodeFeedCursor({ p: pageNumber }) : null,
    exploratory,
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
  const stored = await env.RECS.get<StoredSimilarList>(kvKeys.similar(videoId), 'json')
  let candidates = similarItems(stored)?.map((s) => s.itemId) ?? []
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
