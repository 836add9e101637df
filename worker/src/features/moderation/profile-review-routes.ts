import { and, asc, eq, gt, inArray, or } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../../context'
import { profileChanges, users } from '../../db/schema'
import { decodeCursor, encodeCursor } from '../../lib/cursor'
import { validate } from '../../lib/validate'
import { CATEGORIES } from '../admin/signals'
import { requireRole, userOf } from '../auth/middleware'
import { moderationEventInsert } from './events'

// The review queue for display names and bios the classifier held or
// rejected. Approving one puts the text on the profile; until then others see
// the old text. Each decision is a moderation_events row on the user.
// Mounted under reviewRoutes (/api/moderation/profiles).

const queueQuery = z.object({
  status: z.enum(['held', 'rejected']).default('held'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
})
const decisionInput = z
  .object({
    changeIds: z.array(z.string().max(64)).min(1).max(100),
    action: z.enum(['approve', 'reject']),
    reason: z.string().trim().min(3, 'Give a reason (at least 3 characters)').max(500),
    // The policy category a rejection is about, as the moderator judges it (issue 14), recorded
    // on the decision's event; as in the video and comment queues, only a rejection names one.
    category: z.enum(CATEGORIES).optional(),
  })
  .refine((input) => input.category === undefined || input.action === 'reject', {
    message: 'A category is given only with reject',
    path: ['category'],
  })
const FROM = { approve: ['held', 'rejected'], reject: ['held'] } as const
const FIELD_NAMES = { displayName: 'Display name', bio: 'Bio' } as const

export const profileReviewRoutes = new Hono<AppEnv>()
  .use(requireRole('moderator'))
  .get('/', validate('query', queueQuery), async (c) => {
    const db = c.var.db
    const { status, cursor, limit } = c.req.valid('query')
    const after = decodeCursor(cursor)
    const rows = await db
      .select({
        change: profileChanges,
        user: {
          id: users.id,
          username: users.username,
          displayName: users.displayName,
          bio: users.bio,
        },
      })
      .from(profileChanges)
      .innerJoin(users, eq(users.id, profileChanges.userId))
      .where(
        and(
          eq(profileChanges.status, status),
          after
            ? or(
                gt(profileChanges.createdAt, after.at),
                and(eq(profileChanges.createdAt, after.at), gt(profileChanges.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(profileChanges.createdAt), asc(profileChanges.id))
      .limit(limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return c.json({
      changes: page.map(({ change, user }) => ({
        id: change.id,
        field: change.field,
        text: change.text,
        // What others see meanwhile.
        current: change.field === 'bio' ? user.bio : user.displayName,
        status: change.status,
        reason: change.reason,
        scores: JSON.parse(change.scores ?? 'null') as Record<string, number> | null,
        modelVersion: change.modelVersion,
        createdAt: change.createdAt,
        user: { id: user.id, username: user.username },
      })),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ at: last.change.createdAt, id: last.change.id })
          : null,
    })
  })
  .post('/decisions', validate('json', decisionInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const { changeIds, action, reason: why, category: chosen } = c.req.valid('json')
    const rows = await db
      .select()
      .from(profileChanges)
      .where(inArray(profileChanges.id, [...new Set(changeIds)]))
    const results = []
    for (const id of changeIds) {
      const change = rows.find((r) => r.id === id)
      if (!change) {
        results.push({ id, status: null, error: 'not_found' })
        continue
      }
      if (!(FROM[action] as readonly string[]).includes(change.status)) {
        results.push({
          id,
          status: change.status,
          error: `cannot ${action} a change that is ${change.status}`,
        })
        continue
      }
      const now = Date.now()
      const to = action === 'approve' ? 'approved' : 'rejected'
      const event = moderationEventInsert(db, {
        subjectType: 'user',
        subjectId: change.userId,
        source: 'human',
        actorId: me.id,
        decision: action === 'approve' ? 'published' : 'rejected',
        explanation: `${FIELD_NAMES[change.field]}: ${why}`,
        category: chosen ?? null,
      })
      const mark = db
        .update(profileChanges)
        .set({
          status: to,
          reason:
            action === 'approve' ? 'Approved by a moderator' : `Rejected by a moderator: ${why}`,
          decidedBy: me.id,
          updatedAt: now,
        })
        .where(eq(profileChanges.id, id))
      if (action === 'approve') {
        const text = change.field === 'bio' ? { bio: change.text } : { displayName: change.text }
        await db.batch([
          mark,
          db
            .update(users)
            .set({ ...text, updatedAt: now })
            .where(eq(users.id, change.userId)),
          event,
        ])
      } else {
        await db.batch([mark, event])
      }
      results.push({ id, status: to })
    }
    return c.json({ results })
  })
