import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { comments, videos } from '../../db/schema'

// The count others see: published comments the clip's creator did not hide.
export async function refreshCommentCount(db: Db, videoId: string) {
  const visible = and(
    eq(comments.videoId, videoId),
    // Unary + keeps SQLite on comments_video_idx: without ANALYZE statistics it read
    // comments_status_idx, every published comment on the platform, for each count.
    sql`+${comments.status} = 'published'`,
    isNull(comments.hiddenAt),
  )
  await db
    .update(videos)
    .set({ commentCount: sql`(select count(*) from ${comments} where ${visible})` })
    .where(eq(videos.id, videoId))
}
