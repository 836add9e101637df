import { sql, type SQL } from 'drizzle-orm'
import { comments, reports, userBlocks, videos } from '../../db/schema'

// What a signed-in viewer asked not to see, as conditions inside a list's own query (so a list
// pays no extra D1 round trip for it): everything by a creator they blocked or reported, and
// each clip or comment they reported. The same rule the recommender applies to the feed and
// similar clips (KEPT_FROM_VIEWER in recommendations/catalogue.ts, which also drops "not
// interested"). Each probe is a primary-key or unique-index lookup. Anonymous lists have no
// viewer and are unchanged (they stay shared cached pages).

export function videoNotHiddenFrom(viewerId: string): SQL {
  return sql`not exists (select 1 from ${userBlocks} where ${userBlocks.blockerId} = ${viewerId}
      and ${userBlocks.blockedId} = ${videos.creatorId})
    and not exists (select 1 from ${reports} where ${reports.reporterId} = ${viewerId}
      and ((${reports.subjectType} = 'user' and ${reports.subjectId} = ${videos.creatorId})
        or (${reports.subjectType} = 'video' and ${reports.subjectId} = ${videos.id})))`
}

export function commentNotHiddenFrom(viewerId: string): SQL {
  return sql`not exists (select 1 from ${userBlocks} where ${userBlocks.blockerId} = ${viewerId}
      and ${userBlocks.blockedId} = ${comments.authorId})
    and not exists (select 1 from ${reports} where ${reports.reporterId} = ${viewerId}
      and ((${reports.subjectType} = 'user' and ${reports.subjectId} = ${comments.authorId})
        or (${reports.subjectType} = 'comment' and ${reports.subjectId} = ${comments.id})))`
}
