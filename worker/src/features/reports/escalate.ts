import { and, count, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { reports, users } from '../../db/schema'
import { moveVideoToReview } from '../moderation/review'

const DAY_MS = 24 * 60 * 60 * 1000
// Accounts younger than this, banned, or rate limited in the last day weigh
// nothing: making accounts is cheap, so a handful of fresh ones must not be
// able to hide a video.
export const TRUST = {
  minAccountAgeMs: 7 * DAY_MS,
  rateLimitedCooldownMs: DAY_MS,
  // Each earlier report a moderator upheld adds this much, up to maxWeight.
  perUpheldReport: 0.5,
  maxWeight: 2,
}

type Reporter = {
  createdAt: number
  banned: boolean
  rateLimitedAt: number | null
  upheld: number
}

// How much one reporter's report counts toward escalation.
export function reporterWeight(r: Reporter, now = Date.now()): number {
  if (r.banned) return 0
  if (now - r.createdAt < TRUST.minAccountAgeMs) return 0
  if (r.rateLimitedAt && now - r.rateLimitedAt < TRUST.rateLimitedCooldownMs) return 0
  return Math.min(TRUST.maxWeight, 1 + TRUST.perUpheldReport * r.upheld)
}

// Enough trusted weight of open reports, from distinct reporters (one report
// per reporter and subject), puts a published video back in review, hidden
// until a moderator decides (REPORTS_TO_REVIEW, 0 turns this off).
export async function escalateReportedVideo(env: Env, db: Db, videoId: string) {
  const needed = Number(env.REPORTS_TO_REVIEW || 0)
  if (!needed) return false
  const open = await db
    .select({
      reporterId: reports.reporterId,
      createdAt: users.createdAt,
      banned: users.banned,
      rateLimitedAt: users.rateLimitedAt,
    })
    .from(reports)
    .innerJoin(users, eq(users.id, reports.reporterId))
    .where(
      and(
        eq(reports.subjectType, 'video'),
        eq(reports.subjectId, videoId),
        eq(reports.state, 'open'),
      ),
    )
    .limit(500)
  if (!open.length) return false
  const upheldRows = await db
    .select({ reporterId: reports.reporterId, n: count() })
    .from(reports)
    .where(
      and(
        inArray(
          reports.reporterId,
          db
            .select({ id: reports.reporterId })
            .from(reports)
            .where(
              and(
                eq(reports.subjectType, 'video'),
                eq(reports.subjectId, videoId),
                eq(reports.state, 'open'),
              ),
            ),
        ),
        eq(reports.state, 'resolved'),
      ),
    )
    .groupBy(reports.reporterId)
  const upheld = new Map(upheldRows.map((r) => [r.reporterId, r.n]))
  const now = Date.now()
  const weight = open.reduce(
    (sum, r) => sum + reporterWeight({ ...r, upheld: upheld.get(r.reporterId) ?? 0 }, now),
    0,
  )
  if (weight < needed) return false
  return moveVideoToReview(db, videoId, {
    from: 'published',
    reason: 'Viewers reported this video; a moderator will take a look',
    explanation: `${open.length} open reports, trusted weight ${weight.toFixed(1)} of ${needed}`,
  })
}
