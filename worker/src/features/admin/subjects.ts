import { eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { comments, users, videos, type SubjectType } from '../../db/schema'

// What a moderation subject is, in a line: a video's title, a comment's
// text, a user's name, with its status and owner.
export type Subject = { label: string; status: string; ownerId: string; ownerUsername: string }

export async function subjectsOf(db: Db, type: SubjectType, ids: string[]) {
  const out = new Map<string, Subject>()
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50)
    if (type === 'video') {
      const rows = await db
        .select({
          id: videos.id,
          label: videos.title,
          status: videos.status,
          ownerId: users.id,
          ownerUsername: users.username,
        })
        .from(videos)
        .innerJoin(users, eq(users.id, videos.creatorId))
        .where(inArray(videos.id, chunk))
      for (const r of rows) out.set(r.id, r)
    } else if (type === 'comment') {
      const rows = await db
        .select({
          id: comments.id,
          label: comments.body,
          status: comments.status,
          ownerId: users.id,
          ownerUsername: users.username,
        })
        .from(comments)
        .innerJoin(users, eq(users.id, comments.authorId))
        .where(inArray(comments.id, chunk))
      for (const r of rows) out.set(r.id, r)
    } else {
      const rows = await db
        .select({ id: users.id, label: users.username, banned: users.banned, role: users.role })
        .from(users)
        .where(inArray(users.id, chunk))
      for (const r of rows) {
        out.set(r.id, {
          label: r.label,
          status: r.banned ? 'banned' : r.role,
          ownerId: r.id,
          ownerUsername: r.label,
        })
      }
    }
  }
  return out
}
