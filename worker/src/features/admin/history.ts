import { and, asc, desc, eq, gte, inArray, lt, lte, or, type SQL } from 'drizzle-orm'
import type { z } from 'zod'
import type { Db } from '../../db/client'
import { comments, moderationEvents, reports, users, videos } from '../../db/schema'
import type { SubjectType } from '../../db/schema'
import { decodeCursor, encodeCursor } from '../../lib/cursor'
import { notFound } from '../../lib/errors'
import type { historyQuery } from './schema'
import { categoryScores, mainCategory } from './signals'
import { subjectsOf, type Subject } from './subjects'

type HistoryFilters = z.infer<typeof historyQuery>

const eventColumns = {
  id: moderationEvents.id,
  subjectType: moderationEvents.subjectType,
  subjectId: moderationEvents.subjectId,
  source: moderationEvents.source,
  actorId: moderationEvents.actorId,
  decision: moderationEvents.decision,
  scores: moderationEvents.scores,
  explanation: moderationEvents.explanation,
  model: moderationEvents.model,
  modelVersion: moderationEvents.modelVersion,
  policyVersion: moderationEvents.policyVersion,
  category: moderationEvents.category,
  createdAt: moderationEvents.createdAt,
  actorUsername: users.username,
}
type EventRow = {
  id: string
  subjectType: SubjectType
  subjectId: string
  source: 'machine' | 'human'
  actorId: string | null
  decision: string
  scores: string | null
  explanation: string | null
  model: string | null
  modelVersion: string | null
  policyVersion: number | null
  category: string | null
  createdAt: number
  actorUsername: string | null
}

function parseJson(text: string | null): unknown {
  if (!text) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return null
  }
}

// Human events carry no scores: their category is the one the moderator chose, else the one
// of the machine decision they answered (the latest machine event on the subject).
async function machineCategories(db: Db, rows: EventRow[]) {
  const ids = [...new Set(rows.filter((r) => r.source === 'human').map((r) => r.subjectId))]
  const latest = new Map<string, string | null>()
  for (let i = 0; i < ids.length; i += 50) {
    const machine = await db
      .select({
        subjectType: moderationEvents.subjectType,
        subjectId: moderationEvents.subjectId,
        scores: moderationEvents.scores,
      })
      .from(moderationEvents)
      .where(
        and(
          inArray(moderationEvents.subjectId, ids.slice(i, i + 50)),
          eq(moderationEvents.source, 'machine'),
        ),
      )
      .orderBy(asc(moderationEvents.createdAt))
    for (const m of machine) latest.set(`${m.subjectType}:${m.subjectId}`, m.scores)
  }
  return (row: EventRow) =>
    (row.source === 'human' ? row.category : null) ??
    mainCategory(
      row.source === 'human'
        ? (latest.get(`${row.subjectType}:${row.subjectId}`) ?? null)
        : row.scores,
    )
}

function present(row: EventRow, category: string) {
  return {
    id: row.id,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    source: row.source,
    actor: row.actorId ? { id: row.actorId, username: row.actorUsername } : null,
    decision: row.decision,
    category,
    // Whether a moderator named the category themselves (else it is the machine's).
    categoryChosen: row.source === 'human' && row.category !== null,
    scores: parseJson(row.scores),
    categoryScores: categoryScores(row.scores),
    explanation: row.explanation,
    model: row.model,
    modelVersion: row.modelVersion,
    policyVersion: row.policyVersion,
    createdAt: row.createdAt,
  }
}
export type HistoryEvent = ReturnType<typeof present>

async function actorIds(db: Db, actor: string): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(or(eq(users.id, actor), eq(users.username, actor.toLowerCase())))
  return rows.map((r) => r.id)
}

// Newest first, keyset-paged. The category filter needs each event's
// category, which is computed here rather than stored: pages are read in
// batches until enough events match.
export async function loadHistory(db: Db, filters: HistoryFilters) {
  const where: SQL[] = []
  if (filters.subjectType) where.push(eq(moderationEvents.subjectType, filters.subjectType))
  if (filters.subjectId) where.push(eq(moderationEvents.subjectId, filters.subjectId))
  if (filters.source) where.push(eq(moderationEvents.source, filters.source))
  if (filters.decision) where.push(eq(moderationEvents.decision, filters.decision))
  if (filters.from !== undefined) where.push(gte(moderationEvents.createdAt, filters.from))
  if (filters.to !== undefined) where.push(lte(moderationEvents.createdAt, filters.to))
  if (filters.actor) {
    const ids = await actorIds(db, filters.actor)
    if (!ids.length) return { events: [], nextCursor: null }
    where.push(inArray(moderationEvents.actorId, ids))
  }
  let cursor = decodeCursor(filters.cursor)
  const events: HistoryEvent[] = []
  const batch = filters.category ? 200 : filters.limit + 1
  for (let round = 0; round < 10; round++) {
    const page: SQL[] = [...where]
    if (cursor) {
      const c = cursor
      const before = or(
        lt(moderationEvents.createdAt, c.at),
        and(eq(moderationEvents.createdAt, c.at), lt(moderationEvents.id, c.id)),
      )
      if (before) page.push(before)
    }
    const rows: EventRow[] = await db
      .select(eventColumns)
      .from(moderationEvents)
      .leftJoin(users, eq(users.id, moderationEvents.actorId))
      .where(and(...page))
      .orderBy(desc(moderationEvents.createdAt), desc(moderationEvents.id))
      .limit(batch)
    const categoryOf = await machineCategories(db, rows)
    for (const row of rows) {
      const category = categoryOf(row)
      cursor = { at: row.createdAt, id: row.id }
      if (filters.category && category !== filters.category) continue
      events.push(present(row, category))
      if (events.length > filters.limit) break
    }
    if (events.length > filters.limit || rows.length < batch) break
  }
  const more = events.length > filters.limit
  const shown = events.slice(0, filters.limit)
  const last = shown.at(-1)
  const subjects = new Map<string, Subject>()
  for (const type of ['video', 'comment', 'user'] as const) {
    const ids = [...new Set(shown.filter((e) => e.subjectType === type).map((e) => e.subjectId))]
    for (const [id, s] of await subjectsOf(db, type, ids)) subjects.set(`${type}:${id}`, s)
  }
  return {
    events: shown.map((e) => {
      const s = subjects.get(`${e.subjectType}:${e.subjectId}`)
      return { ...e, subject: s ? { label: s.label, status: s.status } : null }
    }),
    nextCursor: more && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  }
}

async function subjectSummary(db: Db, type: SubjectType, id: string) {
  if (type === 'video') {
    const [v] = await db
      .select({
        id: videos.id,
        title: videos.title,
        status: videos.status,
        statusReason: videos.statusReason,
        createdAt: videos.createdAt,
        ownerId: users.id,
        ownerUsername: users.username,
      })
      .from(videos)
      .innerJoin(users, eq(users.id, videos.creatorId))
      .where(eq(videos.id, id))
    if (!v) return null
    return {
      type,
      id,
      label: v.title,
      status: v.status,
      reason: v.statusReason,
      createdAt: v.createdAt,
      owner: { id: v.ownerId, username: v.ownerUsername },
    }
  }
  if (type === 'comment') {
    const [c] = await db
      .select({
        body: comments.body,
        status: comments.status,
        reason: comments.reason,
        createdAt: comments.createdAt,
        ownerId: users.id,
        ownerUsername: users.username,
      })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .where(eq(comments.id, id))
    if (!c) return null
    return {
      type,
      id,
      label: c.body,
      status: c.status,
      reason: c.reason,
      createdAt: c.createdAt,
      owner: { id: c.ownerId, username: c.ownerUsername },
    }
  }
  const [u] = await db
    .select({
      username: users.username,
      role: users.role,
      banned: users.banned,
      bannedReason: users.bannedReason,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, id))
  if (!u) return null
  return {
    type,
    id,
    label: u.username,
    status: u.banned ? 'banned' : u.role,
    reason: u.bannedReason,
    createdAt: u.createdAt,
    owner: { id, username: u.username },
  }
}

// Everything that happened to one subject, oldest first: every machine and
// human decision and every report about it.
export async function loadTimeline(db: Db, type: SubjectType, id: string) {
  const subject = await subjectSummary(db, type, id)
  const rows: EventRow[] = await db
    .select(eventColumns)
    .from(moderationEvents)
    .leftJoin(users, eq(users.id, moderationEvents.actorId))
    .where(and(eq(moderationEvents.subjectType, type), eq(moderationEvents.subjectId, id)))
    .orderBy(asc(moderationEvents.createdAt), asc(moderationEvents.id))
    .limit(500)
  if (!subject && !rows.length) throw notFound('Subject')
  const categoryOf = await machineCategories(db, rows)
  const subjectReports = await db
    .select({
      id: reports.id,
      reason: reports.reason,
      details: reports.details,
      state: reports.state,
      resolution: reports.resolution,
      createdAt: reports.createdAt,
      resolvedAt: reports.resolvedAt,
      reporter: users.username,
    })
    .from(reports)
    .innerJoin(users, eq(users.id, reports.reporterId))
    .where(and(eq(reports.subjectType, type), eq(reports.subjectId, id)))
    .orderBy(asc(reports.createdAt))
  return {
    subject,
    events: rows.map((r) => present(r, categoryOf(r))),
    reports: subjectReports,
  }
}
