import { and, desc, eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import { z } from 'zod'
import { decide } from '../../../../models/src/decide'
import type { AppEnv } from '../../context'
import { moderationEvents } from '../../db/schema'
import { ApiError } from '../../lib/errors'
import { validate } from '../../lib/validate'
import { subjectsOf } from '../admin/subjects'
import { requireRole, userOf } from '../auth/middleware'
import {
  commentThresholds,
  loadPolicy,
  savePolicy,
  videoThresholds,
  type CommentThresholds,
  type VideoThresholds,
} from './policy'
import { decideVideo, type VideoSignals } from './video-policy'

// The thresholds that turn scores into decisions (moderators read them, admins change them)
// and the preview that replays recent machine decisions under proposed ones. Mounted under
// /api/moderation/policies behind the moderator check in review-routes.ts.
export const policyRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const [video, comment] = await Promise.all([
      loadPolicy(c.env, c.var.db, 'video'),
      loadPolicy(c.env, c.var.db, 'comment'),
    ])
    return c.json({ video, comment })
  })
  .put(
    '/:kind{video|comment}',
    requireRole('admin'),
    validate('json', z.object({ thresholds: z.unknown(), note: z.string().max(500).default('') })),
    async (c) => {
      const me = userOf(c)
      const kind = c.req.param('kind') as 'video' | 'comment'
      const { thresholds, note } = c.req.valid('json')
      const parsed = (kind === 'video' ? videoThresholds : commentThresholds).safeParse(thresholds)
      if (!parsed.success) {
        throw new ApiError(
          400,
          'invalid_input',
          'thresholds: every category needs two levels between 0 and 1 (or null)',
          parsed.error.issues,
        )
      }
      const row = await savePolicy(c.env, c.var.db, kind, parsed.data, note, me.id)
      return c.json({
        policy: { kind, version: row?.version, thresholds: parsed.data, createdAt: row?.createdAt },
      })
    },
  )
  .post(
    '/:kind{video|comment}/preview',
    validate(
      'json',
      z.object({ thresholds: z.unknown(), last: z.number().int().min(1).max(5000).default(500) }),
    ),
    async (c) => {
      const kind = c.req.param('kind') as 'video' | 'comment'
      const { thresholds, last } = c.req.valid('json')
      const parsed = (kind === 'video' ? videoThresholds : commentThresholds).safeParse(thresholds)
      if (!parsed.success)
        throw new ApiError(400, 'invalid_input', 'thresholds are not valid', parsed.error.issues)
      const events = await c.var.db
        .select()
        .from(moderationEvents)
        .where(
          and(
            eq(moderationEvents.subjectType, kind),
            eq(moderationEvents.source, 'machine'),
            inArray(
              moderationEvents.decision,
              kind === 'video'
                ? ['published', 'in_review', 'rejected']
                : ['published', 'held', 'rejected'],
            ),
          ),
        )
        .orderBy(desc(moderationEvents.createdAt))
        .limit(last)
      const changes: { subjectId: string; from: string; to: string }[] = []
      let evaluated = 0
      // A subject the machine decided more than once (a re-check after an edit or reports) is
      // replayed at its latest decision only, the one in force: its older ones listed the same
      // clip several times and counted it several times over.
      const seen = new Set<string>()
      for (const event of events) {
        if (seen.has(event.subjectId)) continue
        const scores = JSON.parse(event.scores ?? 'null') as Record<string, unknown> | null
        if (!scores) continue
        seen.add(event.subjectId)
        evaluated++
        const to =
          kind === 'video'
            ? replayVideo(scores, parsed.data as VideoThresholds)
            : decide(scores as Record<string, number>, parsed.data as CommentThresholds).decision
        if (to !== event.decision)
          changes.push({ subjectId: event.subjectId, from: event.decision, to })
      }
      const listed = changes.slice(0, 200)
      // What a moderator recognises: the clip's title or the comment's text (null once deleted).
      const subjects = await subjectsOf(
        c.var.db,
        kind,
        listed.map((x) => x.subjectId),
      )
      return c.json({
        evaluated,
        changed: changes.length,
        changes: listed.map((x) => ({ ...x, label: subjects.get(x.subjectId)?.label ?? null })),
      })
    },
  )

// Rebuilds the signals stored with a past decision and decides again.
function replayVideo(stored: Record<string, unknown>, thresholds: VideoThresholds) {
  const gemini = stored.gemini as Record<string, number> | null
  const timestamps = (stored.geminiTimestamps ?? {}) as Record<string, number[]>
  const signals: VideoSignals = {
    gemini: {
      configured: gemini !== null,
      verdict: gemini
        ? {
            categories: Object.fromEntries(
              Object.entries(gemini).map(([k, score]) => [
                k,
                { score, timestamps: timestamps[k] ?? [], explanation: '' },
              ]),
            ) as NonNullable<VideoSignals['gemini']['verdict']>['categories'],
            labels: [],
            suggestedCategories: [],
            summary: '',
          }
        : null,
    },
    frames: (stored.frames ?? null) as VideoSignals['frames'],
    text: (stored.text ?? null) as VideoSignals['text'],
  }
  return decideVideo(signals, thresholds).decision
}
