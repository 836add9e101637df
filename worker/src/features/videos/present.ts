import { ownImageUrl } from '../profile-images/images'
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
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

// Listed cards of these ids that are still visible to everyone. The status and visibility
// terms are kept off the index (unary +, as in CARD_SQL below): SQLite would otherwise search
// videos_feed_idx by (status, visibility), reading every published clip for a handful of ids.
export function selectListedCardsById(db: Db, ids: string[]) {
  return selectVideoCards(db).where(
    and(
      inArray(videos.id, ids),
      sql`+${videos.status} = 'published'`,
      sql`+${videos.visibility} = 'public'`,
      eq(users.banned, false),
    ),
  )
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
      avatarUrl: ownImageUrl(row.creatorAvatarUrl),
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

// The card query as one raw statement for DB.batch(): each listed video still visible to
// everyone, with its creator, categories and tags (JSON arrays), so a feed page needs no
// follow-up reads. Columns are named as drizzle's VideoCardRow; ?1 is a JSON array of ids.
// The unary `+` keeps status and visibility off the index: without it SQLite searches
// videos_feed_idx by (status, visibility), i.e. reads every published public video and tests
// each against the id list, so a page's cards cost in proportion to the catalogue (1 ms at
// 2,000 clips, ~10 at 20,000); with it each id is one primary-key probe.
export const CARD_SQL = `SELECT v.id, v.title, v.description, v.duration_seconds AS durationSeconds,
    v.width, v.height, v.status, v.status_reason AS statusReason, v.visibility, v.progress,
    v.view_count AS viewCount, v.like_count AS likeCount, v.comment_count AS commentCount,
    v.created_at AS createdAt, v.published_at AS publishedAt, v.media,
    u.id AS creatorId, u.username AS creatorUsername, u.display_name AS creatorDisplayName,
    u.avatar_url AS creatorAvatarUrl, u.verified AS creatorVerified,
    (SELECT json_group_array(category_id) FROM video_categories WHERE video_id = v.id)
      AS categories,
    (SELECT json_group_array(tag) FROM video_tags WHERE video_id = v.id) AS tags
  FROM videos v JOIN users u ON u.id = v.creator_id
  WHERE v.id IN (SELECT value FROM json_each(?1)) AND +v.status = 'published'
    AND +v.visibility = 'public' AND u.banned = 0`

// A listed card's row with its categories and tags: everything but the viewer's like.
export type ListedCardRow = VideoCardRow & { categories: string[]; tags: string[] }

type RawCardRow = Omit<VideoCardRow, 'creatorVerified'> & {
  creatorVerified: number
  categories: string
  tags: string
}

export function listedCardsStatement(db: D1Database, ids: string[]): D1PreparedStatement {
  return db.prepare(CARD_SQL).bind(JSON.stringify(ids))
}

export function readListedCardRows(result: D1Result | undefined): ListedCardRow[] {
  const rows = (result?.results ?? []) as RawCardRow[]
  return rows.map((row) => ({
    ...row,
    creatorVerified: row.creatorVerified === 1,
    categories: parseStrings(row.categories),
    tags: parseStrings(row.tags),
  }))
}

function parseStrings(text: string): string[] {
  const value: unknown = JSON.parse(text)
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

export function presentListedCard(
  row: ListedCardRow,
  likedByMe: boolean,
  viewerId: string | null,
): VideoCard {
  return toCard(
    row,
    { categories: row.categories, tags: row.tags, likedByMe },
    viewerId === row.creatorId,
  )
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

// Card rows with everything a card shows in the same row: categories and tags as JSON arrays
// and the viewer's like, so a list page is one statement (it can then share one DB.batch()
// with the session's confirmation: feeds/routes.ts) instead of the rows and then three reads.
export function selectCompleteCards(db: Db, viewerId: string | null) {
  return db
    .select({
      ...videoCardColumns,
      // Named apart from videos.id: in a db.batch() drizzle maps D1's row objects by position,
      // and two columns both named `id` collapse into one key, shifting every column after.
      creatorId: sql<string>`${users.id}`.as('creator_id'),
      categories:
        sql<string>`(SELECT json_group_array(${videoCategories.categoryId}) FROM ${videoCategories} WHERE ${videoCategories.videoId} = ${videos.id})`.as(
          'categories',
        ),
      tags: sql<string>`(SELECT json_group_array(${videoTags.tag}) FROM ${videoTags} WHERE ${videoTags.videoId} = ${videos.id})`.as(
        'tags',
      ),
      likedByMe: viewerId
        ? sql<number>`EXISTS (SELECT 1 FROM ${likes} WHERE ${likes.userId} = ${viewerId} AND ${likes.videoId} = ${videos.id})`.as(
            'liked_by_me',
          )
        : sql<number>`0`.as('liked_by_me'),
    })
    .from(videos)
    .innerJoin(users, eq(users.id, videos.creatorId))
}

export type CompleteCardRow = Awaited<ReturnType<typeof selectCompleteCards>>[number]

export function presentCompleteCard(row: CompleteCardRow, viewerId: string | null): VideoCard {
  const { categories, tags, likedByMe, ...card } = row
  return toCard(
    card,
    { categories: parseStrings(categories), tags: parseStrings(tags), likedByMe: likedByMe === 1 },
    viewerId === row.creatorId,
  )
}

export function selectVideoCards(db: Db) {
  return db.select(videoCardColumns).from(videos).innerJoin(users, eq(users.id, videos.creatorId))
}
