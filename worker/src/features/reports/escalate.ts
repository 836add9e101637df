import { and, count, eq } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { reports, videos } from '../../db/schema'
import { moderationEventInsert } from '../moderation/events'

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
  const now = Date.now()
  const moved = await db
    .update(videos)
    .set({
      status: 'in_review',
      statusReason: 'Viewers reported this video; a moderator will take a look',
      statusChangedAt: now,
      updatedAt: now,
    })
    .where(and(eq(videos.id, videoId), eq(videos.status, 'published')))
    .returning({ id: videos.id })
  if (moved.length) {
    await moderationEventInsert(db, {
      subjectType: 'video',
      subjectId: videoId,
      source: 'machine',
      decision: 'in_review',
      explanation: `${open?.n ?? limit} open reports`,
    })
  }
  return moved.length > 0
}
