import { eq } from 'drizzle-orm'
import type { SessionUser } from '../../context'
import type { Db } from '../../db/client'
import { users, videos } from '../../db/schema'
import { notFound } from '../../lib/errors'
import { isModerator } from '../auth/middleware'

export type VideoRow = typeof videos.$inferSelect

// Whether `viewer` may see this video at all. Unpublished, removed and banned
// creators' videos exist only for their owner and for moderators; to everyone
// else they answer 404, so their existence does not leak.
export function canSeeVideo(
  video: Pick<VideoRow, 'status' | 'visibility' | 'creatorId'>,
  creatorBanned: boolean,
  viewer: SessionUser | null,
): boolean {
  if (viewer && viewer.id === video.creatorId) return true
  if (isModerator(viewer)) return true
  return video.status === 'published' && video.visibility !== 'private' && !creatorBanned
}

export async function loadVisibleVideo(db: Db, id: string, viewer: SessionUser | null) {
  const [row] = await db
    .select({ video: videos, creatorBanned: users.banned })
    .from(videos)
    .innerJoin(users, eq(users.id, videos.creatorId))
    .where(eq(videos.id, id))
    .limit(1)
  if (!row || !canSeeVideo(row.video, row.creatorBanned, viewer)) throw notFound('Video')
  return row.video
}

// Interactions (likes, comments, watch events) need a video that is live for
// everyone; even its owner cannot like an unpublished clip.
export async function loadLiveVideo(db: Db, id: string, viewer: SessionUser | null) {
  const video = await loadVisibleVideo(db, id, viewer)
  if (video.status !== 'published') throw notFound('Video')
  return video
}
