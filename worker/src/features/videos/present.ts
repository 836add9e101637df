import { and, eq, inArray, type SQL } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { likes, users, videoCategories, videoTags, videos } from '../../db/schema'
import { reasonForAuthor } from '../moderation/author-notice'

// What anyone may see of a video and its creator. Only published videos of
// creators in good standing, and for lists only public ones.
export const visibleToEveryone = (opts: { listed: boolean }): SQL => {
  const clauses = [eq(videos.status, 'published'), eq(users.banned, false)]
  clauses.push(
    opts.listed
      ? eq(videos.visibility, 'public')
      : inArray(videos.visibility, ['public', 'unlisted']),
  )
  const where = and(...clauses)
  if (!where) throw new Error('unreachable: and() of non-empty clauses')
  return where
}

export const videoCardColumns = {
  id: videos.id,
  title: videos.title,
  description: videos.description,
  durationSeconds: videos.durationSeconds,
  width: videos.width,
  height: videos.height,
  status: videos.status,
  statusReason: videos.statusReason,
  visibility: videos.visibility,
  progress: videos.progress,
  viewCount: videos.viewCount,
  likeCount: videos.likeCount,
  commentCount: videos.commentCount,
  createdAt: videos.createdAt,
  publishedAt: videos.publishedAt,
  media: videos.media,
  creatorId: users.id,
  creatorUsername: users.username,
  creatorDisplayName: users.displayName,
  creatorAvatarUrl: users.avatarUrl,
  creatorVerified: users.verified,
}

export type VideoCardRow = Awaited<ReturnType<typeof selectVideoCards>>[number]

export type VideoCard = ReturnType<typeof toCard>

function toCard(
  row: VideoCardRow,
  extra: { categories: string[]; tags: string[]; likedByMe: boolean },
  owner: boolean,
) {
  const hasMedia = row.media !== null
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    durationSeconds: row.durationSeconds,
    width: row.width,
    height: row.height,
    visibility: row.visibility,
    counts: { views: row.viewCount, likes: row.likeCount, comments: row.commentCount },
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
    creator: {
      id: row.creatorId,
      username: row.creatorUsername,
      displayName: row.creatorDisplayName,
      avatarUrl: row.creatorAvatarUrl,
      verified: row.creatorVerified,
    },
    categories: extra.categories,
    tags: extra.tags,
    likedByMe: extra.likedByMe,
    posterUrl: hasMedia ? `/media/videos/${row.id}/poster.jpg` : null,
    playlistUrl: hasMedia ? `/media/videos/${row.id}/hls/master.m3u8` : null,
    // Status and its reason are the creator's business only.
    status: owner ? row.status : undefined,
    statusReason: owner ? reasonForAuthor(row.statusReason) : undefined,
    progress: owner ? row.progress : undefined,
  }
}

export async function presentVideos(
  db: Db,
  rows: VideoCardRow[],
  viewerId: string | null,
): Promise<VideoCard[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [cats, tags, liked] = await Promise.all([
    db.select().from(videoCategories).where(inArray(videoCategories.videoId, ids)),
    db.select().from(videoTags).where(inArray(videoTags.videoId, ids)),
    viewerId
      ? db
          .select({ videoId: likes.videoId })
          .from(likes)
          .where(and(eq(likes.userId, viewerId), inArray(likes.videoId, ids)))
      : Promise.resolve([]),
  ])
  const likedSet = new Set(liked.map((l) => l.videoId))
  return rows.map((row) =>
    toCard(
      row,
      {
        categories: cats.filter((c) => c.videoId === row.id).map((c) => c.categoryId),
        tags: tags.filter((t) => t.videoId === row.id).map((t) => t.tag),
        likedByMe: likedSet.has(row.id),
      },
      viewerId === row.creatorId,
    ),
  )
}

export function selectVideoCards(db: Db) {
  return db.select(videoCardColumns).from(videos).innerJoin(users, eq(users.id, videos.creatorId))
}
