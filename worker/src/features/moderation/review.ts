import { and, eq } from 'drizzle-orm'
import { createDb, type Db } from '../../db/client'
import { videos } from '../../db/schema'
import { moderationEventInsert } from './events'

// Moves a video from `from` to the human review queue and logs the machine's
// decision. Only a video still in `from` moves, so a redelivered message (or
// one arriving after a moderator decided) changes nothing; returns whether it
// moved.
export async function moveVideoToReview(
  db: Db,
  videoId: string,
  change: { from: 'moderating' | 'published'; reason: string; explanation?: string },
): Promise<boolean> {
  const now = Date.now()
  const moved = await db
    .update(videos)
    .set({ status: 'in_review', statusReason: change.reason, statusChangedAt: now, updatedAt: now })
    .where(and(eq(videos.id, videoId), eq(videos.status, change.from)))
    .returning({ id: videos.id })
  if (moved.length) {
    await moderationEventInsert(db, {
      subjectType: 'video',
      subjectId: videoId,
      source: 'machine',
      decision: 'in_review',
      explanation: change.explanation ?? change.reason,
    })
  }
  return moved.length > 0
}

// A video waiting for automatic moderation that cannot get it goes to people.
export async function sendVideoToReview(env: Env, videoId: string, reason: string) {
  await moveVideoToReview(createDb(env.DB), videoId, { from: 'moderating', reason })
}
