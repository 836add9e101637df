import { and, asc, count, eq, gte, inArray, min, sql } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Db } from '../../db/client'
import { comments, likes, moderationEvents, reports, videos, watches } from '../../db/schema'
import { isOverturn, mainCategory, type EventCategory } from './signals'

const DAY_MS = 86_400_000
export const OVERVIEW_DAYS = 14

type DayRow = { day: string; n: number }

const dayOf = (column: SQLiteColumn) => sql<string>`date(${column} / 1000, 'unixepoch')`

// Per UTC day: how many rows of a table fall on each of the last days.
async function perDay(
  db: Db,
  table: typeof videos | typeof likes | typeof watches | typeof comments | typeof moderationEvents,
  column: SQLiteColumn,
  since: number,
  extra?: ReturnType<typeof and>,
): Promise<DayRow[]> {
  const day = dayOf(column)
  return db
    .select({ day, n: count() })
    .from(table)
    .where(and(gte(column, since), extra))
    .groupBy(day)
}

export type DecisionStats = {
  category: EventCategory
  machine: number
  human: number
  overturns: number
  overturnRate: number | null
}

type EventRow = {
  subjectType: string
  subjectId: string
  source: 'machine' | 'human'
  decision: string
  scores: string | null
  createdAt: number
  // False for older machine decisions loaded only as context for overturns.
  counted?: boolean
}

// Automatic vs human decisions per category, and how often a human decided
// against the machine's latest decision on the same subject before them.
export function decisionStats(events: EventRow[]): DecisionStats[] {
  const bySubject = new Map<string, EventRow[]>()
  for (const e of events) {
    const key = `${e.subjectType}:${e.subjectId}`
    const list = bySubject.get(key) ?? []
    list.push(e)
    bySubject.set(key, list)
  }
  const stats = new Map<EventCategory, DecisionStats>()
  const statOf = (category: EventCategory) => {
    let s = stats.get(category)
    if (!s) {
      s = { category, machine: 0, human: 0, overturns: 0, overturnRate: null }
      stats.set(category, s)
    }
    return s
  }
  for (const list of bySubject.values()) {
    list.sort((a, b) => a.createdAt - b.createdAt)
    let lastMachine: EventRow | undefined
    for (const e of list) {
      if (e.source === 'machine') {
        lastMachine = e
        if (e.counted !== false) statOf(mainCategory(e.scores)).machine++
        continue
      }
      const s = statOf(mainCategory(lastMachine?.scores ?? e.scores))
      s.human++
      if (lastMachine && isOverturn(lastMachine.decision, e.decision)) s.overturns++
    }
  }
  for (const s of stats.values()) s.overturnRate = s.human ? s.overturns / s.human : null
  return [...stats.values()].sort((a, b) => b.machine + b.human - (a.machine + a.human))
}

// Events on videos and comments decided in the window, with the earlier
// machine decisions their human decisions are compared against.
async function eventsForStats(db: Db, since: number): Promise<EventRow[]> {
  const columns = {
    subjectType: moderationEvents.subjectType,
    subjectId: moderationEvents.subjectId,
    source: moderationEvents.source,
    decision: moderationEvents.decision,
    scores: moderationEvents.scores,
    createdAt: moderationEvents.createdAt,
  }
  const recent = await db
    .select(columns)
    .from(moderationEvents)
    .where(
      and(
        gte(moderationEvents.createdAt, since),
        inArray(moderationEvents.subjectType, ['video', 'comment']),
      ),
    )
    .orderBy(asc(moderationEvents.createdAt))
    .limit(20_000)
  const haveMachine = new Set(
    recent.filter((e) => e.source === 'machine').map((e) => `${e.subjectType}:${e.subjectId}`),
  )
  const missing = [
    ...new Set(
      recent
        .filter((e) => e.source === 'human' && !haveMachine.has(`${e.subjectType}:${e.subjectId}`))
        .map((e) => e.subjectId),
    ),
  ]
  const older: EventRow[] = []
  for (let i = 0; i < missing.length; i += 50) {
    const rows = await db
      .select(columns)
      .from(moderationEvents)
      .where(
        and(
          inArray(moderationEvents.subjectId, missing.slice(i, i + 50)),
          eq(moderationEvents.source, 'machine'),
          sql`${moderationEvents.createdAt} < ${since}`,
        ),
      )
    older.push(...rows.map((r) => ({ ...r, counted: false })))
  }
  return [...older, ...recent]
}

export type RecsHealth = {
  version: string | null
  finishedAt: number | null
  durationMs: number | null
  items: number | null
  users: number | null
  failedBatches: number | null
  explorationShare: number | null
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

export async function readRecsHealth(kv: KVNamespace): Promise<RecsHealth | null> {
  const raw = await kv.get('recs:last-rebuild')
  if (!raw) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const r = parsed as Record<string, unknown>
  const finished = r.finishedAt
  return {
    version: r.version === undefined || r.version === null ? null : String(r.version),
    finishedAt:
      typeof finished === 'string' ? Date.parse(finished) || null : numberOr(finished ?? null),
    durationMs: numberOr(r.durationMs),
    items: numberOr(r.items),
    users: numberOr(r.users),
    failedBatches: numberOr(r.failedBatches),
    explorationShare: numberOr(r.explorationShare),
  }
}

export async function loadOverview(db: Db, kv: KVNamespace, now = Date.now()) {
  const today = Math.floor(now / DAY_MS) * DAY_MS
  const since = today - (OVERVIEW_DAYS - 1) * DAY_MS

  const [[videosWaiting], [commentsWaiting], [reportsWaiting]] = await Promise.all([
    db
      .select({ count: count(), oldestAt: min(videos.statusChangedAt) })
      .from(videos)
      .where(eq(videos.status, 'in_review')),
    db
      .select({ count: count(), oldestAt: min(comments.createdAt) })
      .from(comments)
      .where(eq(comments.status, 'held')),
    db
      .select({ count: count(), oldestAt: min(reports.createdAt) })
      .from(reports)
      .where(eq(reports.state, 'open')),
  ])

  const decisionIn = (decisions: string[]) =>
    and(
      inArray(moderationEvents.decision, decisions),
      inArray(moderationEvents.subjectType, ['video', 'comment']),
    )
  const series = await Promise.all([
    perDay(db, videos, videos.createdAt, since),
    perDay(db, videos, videos.publishedAt, since),
    perDay(
      db,
      moderationEvents,
      moderationEvents.createdAt,
      since,
      decisionIn(['rejected', 'reject']),
    ),
    perDay(
      db,
      moderationEvents,
      moderationEvents.createdAt,
      since,
      decisionIn(['held', 'in_review']),
    ),
    perDay(db, watches, watches.createdAt, since),
    perDay(db, likes, likes.createdAt, since),
    perDay(db, comments, comments.createdAt, since),
  ])
  const keys = [
    'uploads',
    'publications',
    'rejections',
    'holds',
    'views',
    'likes',
    'comments',
  ] as const
  const days = Array.from({ length: OVERVIEW_DAYS }, (_, i) => {
    const day = new Date(since + i * DAY_MS).toISOString().slice(0, 10)
    const row: Record<(typeof keys)[number], number> & { day: string } = {
      day,
      uploads: 0,
      publications: 0,
      rejections: 0,
      holds: 0,
      views: 0,
      likes: 0,
      comments: 0,
    }
    keys.forEach((key, k) => {
      row[key] = series[k]?.find((r) => r.day === day)?.n ?? 0
    })
    return row
  })

  const decisions = decisionStats(await eventsForStats(db, since)).filter(
    (d) => d.machine + d.human > 0,
  )

  return {
    generatedAt: now,
    windowDays: OVERVIEW_DAYS,
    waiting: {
      videos: { count: videosWaiting?.count ?? 0, oldestAt: videosWaiting?.oldestAt ?? null },
      comments: {
        count: commentsWaiting?.count ?? 0,
        oldestAt: commentsWaiting?.oldestAt ?? null,
      },
      reports: { count: reportsWaiting?.count ?? 0, oldestAt: reportsWaiting?.oldestAt ?? null },
    },
    days,
    decisions,
    recommendations: await readRecsHealth(kv),
  }
}
