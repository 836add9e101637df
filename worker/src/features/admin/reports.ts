import { and, asc, count, eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { reports, users, type SubjectType } from '../../db/schema'
import { notFound } from '../../lib/errors'
import { closeOpenReports } from '../reports/close'
import { subjectsOf, type Subject } from './subjects'

// Open reports, one entry per reported subject: how many, why, since when.
// The most reported subjects come first, then the longest waiting.
export async function loadOpenReports(db: Db) {
  const rows = await db
    .select({
      subjectType: reports.subjectType,
      subjectId: reports.subjectId,
      reason: reports.reason,
      details: reports.details,
      createdAt: reports.createdAt,
      reporter: users.username,
    })
    .from(reports)
    .innerJoin(users, eq(users.id, reports.reporterId))
    .where(eq(reports.state, 'open'))
    .orderBy(asc(reports.createdAt))
    .limit(5000)
  type Group = {
    subjectType: SubjectType
    subjectId: string
    count: number
    reasons: Record<string, number>
    details: { reporter: string; reason: string; details: string; createdAt: number }[]
    firstAt: number
    lastAt: number
  }
  const groups = new Map<string, Group>()
  for (const r of rows) {
    const key = `${r.subjectType}:${r.subjectId}`
    const g = groups.get(key) ?? {
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      count: 0,
      reasons: {},
      details: [],
      firstAt: r.createdAt,
      lastAt: r.createdAt,
    }
    g.count++
    g.reasons[r.reason] = (g.reasons[r.reason] ?? 0) + 1
    if (g.details.length < 20) {
      g.details.push({
        reporter: r.reporter,
        reason: r.reason,
        details: r.details,
        createdAt: r.createdAt,
      })
    }
    g.lastAt = r.createdAt
    groups.set(key, g)
  }
  const list = [...groups.values()]
  const subjects = new Map<string, Subject>()
  for (const type of ['video', 'comment', 'user'] as const) {
    const ids = list.filter((g) => g.subjectType === type).map((g) => g.subjectId)
    for (const [id, s] of await subjectsOf(db, type, ids)) subjects.set(`${type}:${id}`, s)
  }
  return list
    .map((g) => {
      const s = subjects.get(`${g.subjectType}:${g.subjectId}`)
      return {
        ...g,
        subject: s
          ? {
              label: s.label,
              status: s.status,
              owner: { id: s.ownerId, username: s.ownerUsername },
            }
          : null,
      }
    })
    .sort((a, b) => b.count - a.count || a.firstAt - b.firstAt)
}

// Closes every open report on a subject. Dismissing says the reports were
// unfounded; acting says the moderator dealt with the subject (through the
// review decisions). Either way the audit log gets one event.
export async function resolveReports(
  db: Db,
  input: { subjectType: SubjectType; subjectId: string; action: 'dismiss' | 'act'; reason: string },
  moderatorId: string,
) {
  const [open] = await db
    .select({ n: count() })
    .from(reports)
    .where(
      and(
        eq(reports.subjectType, input.subjectType),
        eq(reports.subjectId, input.subjectId),
        eq(reports.state, 'open'),
      ),
    )
  if (!open?.n) throw notFound('Open reports for this subject')
  const state = input.action === 'dismiss' ? 'dismissed' : 'resolved'
  const [updated] = await db.batch(
    closeOpenReports(db, {
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      state,
      reason: input.reason,
      moderatorId,
    }),
  )
  return { state, closed: updated.length }
}
