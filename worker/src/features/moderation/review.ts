import { and, eq } from 'drizzle-orm'
import { createDb } from '../../db/client'
import { videos } from '../../db/schema'
import { moderationEventInsert } from './events'

// Hands a video that is waiting for moderation to the human review queue.
// Only a video still `moderating` moves, so a redelivered message (or one
// arriving after a moderator decided) changes nothing.
export async function sendVideoToReview(env: Env, videoId: string, reason: string) {
  const db = createDb(env.DB)
  const now = Date.now()
  const moved = await db
    .update(videos)
    .set({ status: 'in_review', statusReason: reason, statusChangedAt: now, updatedAt: now })
    .where(and(eq(videos.id, videoId), eq(videos.status, 'moderating')))
    .returning({ id: videos.id })
  if (moved.length) {
    await moderationEventInsert(db, {
      subjectType: 'video',
      subjectId: videoId,
      source: 'machine',
      decision: 'in_review',
      explanation: reason,
    })
  }
}
