import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../context'
import { comments, reports, SUBJECT_TYPES, users } from '../../db/schema'
import { ApiError, notFound } from '../../lib/errors'
import { newId } from '../../lib/ids'
import { validate } from '../../lib/validate'
import { requireUser, userOf } from '../auth/middleware'
import { loadVisibleVideo } from '../videos/access'
import { escalateReportedVideo } from './escalate'
import { reportsOf } from './mine'

export const REPORT_REASONS = [
  'spam',
  'sexual',
  'hate',
  'violence',
  'harassment',
  'self_harm',
  'minor_safety',
  'misinformation',
  'other',
] as const

const reportInput = z.object({
  subjectType: z.enum(SUBJECT_TYPES),
  subjectId: z.string().min(1).max(64),
  reason: z.enum(REPORT_REASONS),
  details: z.string().max(1000).default(''),
})

export const reportRoutes = new Hono<AppEnv>()
  // The caller's own reports with their outcome once a moderator closed them; nobody else's.
  .get('/mine', requireUser, async (c) => {
    return c.json({ reports: await reportsOf(c.var.db, userOf(c).id) })
  })
  .post('/', requireUser, validate('json', reportInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const input = c.req.valid('json')
    // One can only report what one can see.
    if (input.subjectType === 'video') {
      await loadVisibleVideo(db, input.subjectId, me)
    } else if (input.subjectType === 'comment') {
      const [row] = await db
        .select({ status: comments.status, authorId: comments.authorId })
        .from(comments)
        .where(eq(comments.id, input.subjectId))
      if (!row || (row.status !== 'published' && row.authorId !== me.id)) throw notFound('Comment')
    } else {
      const [row] = await db
        .select({ id: users.id, banned: users.banned })
        .from(users)
        .where(eq(users.id, input.subjectId))
      if (!row || row.banned) throw notFound('User')
      if (row.id === me.id)
        throw new ApiError(400, 'cannot_report_self', 'You cannot report yourself')
    }
    const inserted = await db
      .insert(reports)
      .values({ id: newId(), reporterId: me.id, ...input })
      .onConflictDoNothing()
      .returning({ id: reports.id })
    const [existing] = inserted.length
      ? inserted
      : await db
          .select({ id: reports.id })
          .from(reports)
          .where(
            and(
              eq(reports.reporterId, me.id),
              eq(reports.subjectType, input.subjectType),
              eq(reports.subjectId, input.subjectId),
            ),
          )
    if (inserted.length && input.subjectType === 'video') {
      await escalateReportedVideo(c.env, db, input.subjectId)
    }
    return c.json({ report: { id: existing?.id, received: true } }, inserted.length ? 201 : 200)
  })
