import { desc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { comments, reports, users, videos, type SubjectType } from '../../db/schema'

// What a reporter is told about their own reports. While open: pending. Once a moderator
// closed it (admin/reports.ts): whether action was taken or the subject was found within the
// rules. The moderator's own note is not shown: it may say things about the reported person
// that are not the reporter's to read.
export const REPORT_OUTCOMES = {
  resolved: {
    outcome: 'action_taken',
    message: 'A moderator reviewed it and took action. Thank you for telling us.',
  },
  dismissed: {
    outcome: 'no_violation',
    message: 'A moderator reviewed it and found it within our rules.',
  },
} as const

export type MyReport = {
  id: string
  subjectType: SubjectType
  subjectId: string
  // A line to recognise the report by. Never a comment's words: those are what the reporter
  // asked not to see again.
  subjectLabel: string
  reason: string
  status: 'pending' | 'resolved' | 'dismissed'
  outcome: (typeof REPORT_OUTCOMES)[keyof typeof REPORT_OUTCOMES]['outcome'] | null
  outcomeMessage: string | null
  createdAt: number
  resolvedAt: number | null
}

// Newest first; also keeps each label query under D1's 100 bound parameters.
export const MY_REPORTS_LIMIT = 50

export async function reportsOf(db: Db, reporterId: string): Promise<MyReport[]> {
  const rows = await db
    .select()
    .from(reports)
    .where(eq(reports.reporterId, reporterId))
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(MY_REPORTS_LIMIT)
  const labels = await labelsOf(db, rows)
  return rows.map((r) => {
    const closed = r.state === 'open' ? null : REPORT_OUTCOMES[r.state]
    return {
      id: r.id,
      subjectType: r.subjectType,
      subjectId: r.subjectId,
      subjectLabel: labels.get(`${r.subjectType}:${r.subjectId}`) ?? fallbackLabel(r.subjectType),
      reason: r.reason,
      status: r.state === 'open' ? 'pending' : r.state,
      outcome: closed?.outcome ?? null,
      outcomeMessage: closed?.message ?? null,
      createdAt: r.createdAt,
      resolvedAt: r.resolvedAt,
    }
  })
}

function fallbackLabel(type: SubjectType) {
  return type === 'video' ? 'A clip' : type === 'comment' ? 'A comment' : 'An account'
}

async function labelsOf(db: Db, rows: { subjectType: SubjectType; subjectId: string }[]) {
  const ids = (type: SubjectType) => [
    ...new Set(rows.filter((r) => r.subjectType === type).map((r) => r.subjectId)),
  ]
  const out = new Map<string, string>()
  const [videoIds, commentIds, userIds] = [ids('video'), ids('comment'), ids('user')]
  const [videoRows, commentRows, userRows] = await Promise.all([
    videoIds.length
      ? db
          .select({ id: videos.id, title: videos.title })
          .from(videos)
          .where(inArray(videos.id, videoIds))
      : [],
    commentIds.length
      ? db
          .select({ id: comments.id, title: videos.title })
          .from(comments)
          .innerJoin(videos, eq(videos.id, comments.videoId))
          .where(inArray(comments.id, commentIds))
      : [],
    userIds.length
      ? db
          .select({ id: users.id, username: users.username })
          .from(users)
          .where(inArray(users.id, userIds))
      : [],
  ])
  for (const v of videoRows) out.set(`video:${v.id}`, `Clip “${v.title}”`)
  for (const c of commentRows) out.set(`comment:${c.id}`, `A comment under “${c.title}”`)
  for (const u of userRows) out.set(`user:${u.id}`, `@${u.username}`)
  return out
}
