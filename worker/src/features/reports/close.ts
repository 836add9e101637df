import { and, count, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { reports, type SubjectType } from '../../db/schema'
import { moderationEventInsert } from '../moderation/events'

// Closing a subject's open reports: on the Reports page (admin/reports.ts), and when a
// moderator decides the subject in a queue (a rejection upholds them, publishing dismisses
// them), so a reporter learns the outcome however the moderator got there.
export type ReportClosing = {
  subjectType: SubjectType
  subjectId: string
  state: 'resolved' | 'dismissed'
  reason: string
  moderatorId: string
}

// The statements, for the caller's batch: the update (returning the closed ids) and its
// audit event.
export function closeOpenReports(db: Db, input: ReportClosing) {
  return [
    db
      .update(reports)
      .set({
        state: input.state,
        resolution: input.reason,
        resolvedBy: input.moderatorId,
        resolvedAt: Date.now(),
      })
      .where(
        and(
          eq(reports.subjectType, input.subjectType),
          eq(reports.subjectId, input.subjectId),
          eq(reports.state, 'open'),
        ),
      )
      .returning({ id: reports.id }),
    moderationEventInsert(db, {
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      source: 'human',
      actorId: input.moderatorId,
      decision: input.state === 'dismissed' ? 'reports_dismissed' : 'reports_resolved',
      explanation: input.reason,
    }),
  ] as const
}

// Which of these subjects have open reports (ids in chunks: D1 binds at most 100 values).
export async function withOpenReports(db: Db, subjectType: SubjectType, ids: string[]) {
  const out = new Set<string>()
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += 90) {
    const rows = await db
      .select({ id: reports.subjectId, n: count() })
      .from(reports)
      .where(
        and(
          eq(reports.subjectType, subjectType),
          inArray(reports.subjectId, unique.slice(i, i + 90)),
          eq(reports.state, 'open'),
        ),
      )
      .groupBy(reports.subjectId)
    for (const r of rows) if (r.n > 0) out.add(r.id)
  }
  return out
}
