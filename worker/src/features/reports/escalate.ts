import { and, count, eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { reports } from '../../db/schema'
import { moveVideoToReview } from '../moderation/review'

// Enough open reports on a published video put it back in review, hidden
// until a moderator decides (REPORTS_TO_REVIEW, 0 turns this off).
export async function escalateReportedVideo(env: Env, db: Db, videoId: string) {
  const limit = Number(env.REPORTS_TO_REVIEW || 0)
  if (!limit) return false
  const [open] = await db
    .select({ n: count() })
    .from(reports)
    .where(
      and(
        eq(reports.subjectType, 'video'),
        eq(reports.subjectId, videoId),
        eq(reports.state, 'open'),
      ),
    )
  if ((open?.n ?? 0) < limit) return false
  return moveVideoToReview(db, videoId, {
    from: 'published',
    reason: 'Viewers reported this video; a moderator will take a look',
    explanation: `${open?.n ?? limit} open reports`,
  })
}
