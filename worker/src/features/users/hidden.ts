import { and, count, eq, isNull, or, sql, type AnyColumn, type SQL } from 'drizzle-orm'
import { alias } from 'drizzle-orm/sqlite-core'
import type { Db } from '../../db/client'
import { comments, reports, userBlocks, videos } from '../../db/schema'

// What a signed-in viewer asked not to see, as conditions inside a list's own query (so a list
// pays no extra D1 round trip for it): everything by a creator they blocked, and each clip or
// comment they reported (the app promises it stays hidden while moderators look). Reporting a
// profile is a word to the moderators, not a mute, so browsing lists keep that creator; the
// recommender goes further and never recommends them (KEPT_FROM_VIEWER in
// recommendations/serving-reads.ts, which also drops "not interested"). Each probe is a
// primary-key or unique-index lookup. Anonymous lists have no viewer and are unchanged (they
// stay shared cached pages).

type Subject = { type: 'video' | 'comment'; id: AnyColumn; authorId: AnyColumn }

function hiddenFrom(viewerId: string, subject: Subject): SQL {
  return sql`(exists (select 1 from ${userBlocks} where ${userBlocks.blockerId} = ${viewerId}
      and ${userBlocks.blockedId} = ${subject.authorId})
    or exists (select 1 from ${reports} where ${reports.reporterId} = ${viewerId}
      and ${reports.subjectType} = ${subject.type} and ${reports.subjectId} = ${subject.id}))`
}

// Only the clips this viewer reported: for a creator's own profile, which the viewer chose to
// open (a blocked creator's profile says "Clips hidden" instead of listing them).
export function videoNotReportedBy(viewerId: string): SQL {
  return sql`not exists (select 1 from ${reports} where ${reports.reporterId} = ${viewerId}
    and ${reports.subjectType} = 'video' and ${reports.subjectId} = ${videos.id})`
}

export function videoNotHiddenFrom(viewerId: string): SQL {
  return sql`not ${hiddenFrom(viewerId, { type: 'video', id: videos.id, authorId: videos.creatorId })}`
}

export function commentNotHiddenFrom(viewerId: string): SQL {
  return sql`not ${hiddenFrom(viewerId, { type: 'comment', id: comments.id, authorId: comments.authorId })}`
}

// How many of a clip's counted comments (published, not hidden by its creator: what
// videos.comment_count counts) this viewer's list leaves out: the hidden ones, and replies
// under a hidden comment, which leave with it. The web app takes them off the count it shows
// beside the list, so the two agree after a reload too.
export async function commentsWithheldFrom(db: Db, viewerId: string, videoId: string) {
  const parent = alias(comments, 'parent')
  const [row] = await db
    .select({ n: count() })
    .from(comments)
    .leftJoin(parent, eq(parent.id, comments.parentId))
    .where(
      and(
        eq(comments.videoId, videoId),
        // Unary + stops SQLite from reading comments_status_idx (every published comment on
        // the platform), which it picks without ANALYZE statistics, so the clip's comments come
        // from comments_video_idx.
        sql`+${comments.status} = 'published'`,
        isNull(comments.hiddenAt),
        or(
          hiddenFrom(viewerId, { type: 'comment', id: comments.id, authorId: comments.authorId }),
          and(
            sql`${parent.id} is not null`,
            hiddenFrom(viewerId, { type: 'comment', id: parent.id, authorId: parent.authorId }),
          ),
        ),
      ),
    )
  return row?.n ?? 0
}
