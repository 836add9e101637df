import { and, count, desc, eq, inArray, or, sql, type SQLWrapper } from 'drizzle-orm'
import type { Db } from '../../db/client'
import {
  comments,
  moderationEvents,
  reports,
  sessions,
  users,
  videos,
  type Role,
} from '../../db/schema'
import { ApiError, notFound } from '../../lib/errors'
import { moderationEventInsert } from '../moderation/events'
import { forgetCachedSessions, sessionTokenHashes } from '../auth/session'

const userColumns = {
  id: users.id,
  username: users.username,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  banned: users.banned,
  bannedReason: users.bannedReason,
  createdAt: users.createdAt,
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`)
// Case-insensitive substring match; `_` and `%` in the query are literal.
const contains = (column: SQLWrapper, pattern: string) =>
  sql`lower(${column}) like ${pattern} escape '\\'`

export async function searchUsers(db: Db, q: string) {
  const pattern = `%${escapeLike(q.toLowerCase())}%`
  return db
    .select(userColumns)
    .from(users)
    .where(
      q
        ? or(
            contains(users.username, pattern),
            contains(users.email, pattern),
            contains(users.displayName, pattern),
            eq(users.id, q),
          )
        : undefined,
    )
    .orderBy(desc(users.createdAt))
    .limit(50)
}

async function findUser(db: Db, id: string) {
  const [user] = await db.select(userColumns).from(users).where(eq(users.id, id))
  if (!user) throw notFound('User')
  return user
}

const tally = (rows: { status: string; n: number }[]) =>
  Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>

// What a creator's record looks like to a moderator deciding on their video
// or comment: counts per status and the earlier rejections with reasons.
export async function loadCreatorHistory(db: Db, id: string) {
  const user = await findUser(db, id)
  const [videoCounts, commentCounts, rejectedVideos, rejectedComments, [reportsAgainst]] =
    await Promise.all([
      db
        .select({ status: videos.status, n: count() })
        .from(videos)
        .where(eq(videos.creatorId, id))
        .groupBy(videos.status),
      db
        .select({ status: comments.status, n: count() })
        .from(comments)
        .where(eq(comments.authorId, id))
        .groupBy(comments.status),
      db
        .select({
          id: videos.id,
          title: videos.title,
          reason: videos.statusReason,
          at: videos.statusChangedAt,
        })
        .from(videos)
        .where(and(eq(videos.creatorId, id), eq(videos.status, 'rejected')))
        .orderBy(desc(videos.statusChangedAt))
        .limit(10),
      db
        .select({
          id: comments.id,
          body: comments.body,
          reason: comments.reason,
          at: comments.updatedAt,
        })
        .from(comments)
        .where(and(eq(comments.authorId, id), eq(comments.status, 'rejected')))
        .orderBy(desc(comments.updatedAt))
        .limit(10),
      db
        .select({ n: count() })
        .from(reports)
        .where(and(eq(reports.subjectType, 'user'), eq(reports.subjectId, id))),
    ])
  return {
    user: {
      id: user.id,
      username: user.username,
      role: user.role,
      banned: user.banned,
      createdAt: user.createdAt,
    },
    videos: tally(videoCounts),
    comments: tally(commentCounts),
    priorRejections: { videos: rejectedVideos, comments: rejectedComments },
    reportsAgainstUser: reportsAgainst?.n ?? 0,
  }
}

// Everything an admin needs before banning or promoting someone.
export async function loadUserActivity(db: Db, id: string) {
  const history = await loadCreatorHistory(db, id)
  const user = await findUser(db, id)
  // Subqueries, not id lists: D1 binds at most 100 parameters.
  const videoIds = db.select({ id: videos.id }).from(videos).where(eq(videos.creatorId, id))
  const commentIds = db.select({ id: comments.id }).from(comments).where(eq(comments.authorId, id))
  const against = or(
    and(eq(reports.subjectType, 'user'), eq(reports.subjectId, id)),
    and(eq(reports.subjectType, 'video'), inArray(reports.subjectId, videoIds)),
    and(eq(reports.subjectType, 'comment'), inArray(reports.subjectId, commentIds)),
  )
  const [reportRows, events, actions] = await Promise.all([
    db
      .select({
        id: reports.id,
        subjectType: reports.subjectType,
        subjectId: reports.subjectId,
        reason: reports.reason,
        state: reports.state,
        createdAt: reports.createdAt,
      })
      .from(reports)
      .where(against)
      .orderBy(desc(reports.createdAt))
      .limit(50),
    db
      .select({
        id: moderationEvents.id,
        subjectType: moderationEvents.subjectType,
        subjectId: moderationEvents.subjectId,
        source: moderationEvents.source,
        decision: moderationEvents.decision,
        explanation: moderationEvents.explanation,
        createdAt: moderationEvents.createdAt,
        actor: users.username,
      })
      .from(moderationEvents)
      .leftJoin(users, eq(users.id, moderationEvents.actorId))
      .where(
        or(
          and(eq(moderationEvents.subjectType, 'user'), eq(moderationEvents.subjectId, id)),
          and(
            eq(moderationEvents.subjectType, 'video'),
            inArray(moderationEvents.subjectId, videoIds),
          ),
          and(
            eq(moderationEvents.subjectType, 'comment'),
            inArray(moderationEvents.subjectId, commentIds),
          ),
        ),
      )
      .orderBy(desc(moderationEvents.createdAt))
      .limit(100),
    db.select({ n: count() }).from(moderationEvents).where(eq(moderationEvents.actorId, id)),
  ])
  return {
    ...history,
    user,
    reports: reportRows,
    events,
    moderationActions: actions[0]?.n ?? 0,
  }
}

function refuseSelf(actorId: string, targetId: string, what: string) {
  if (actorId === targetId) throw new ApiError(400, 'cannot_change_self', `You cannot ${what}`)
}

export async function setBanned(
  env: Env,
  db: Db,
  input: { id: string; banned: boolean; reason: string; actorId: string },
) {
  refuseSelf(input.actorId, input.id, input.banned ? 'ban yourself' : 'unban yourself')
  await findUser(db, input.id)
  const [, , [user], ended] = await db.batch([
    db
      .update(users)
      .set({
        banned: input.banned,
        bannedReason: input.banned ? input.reason : null,
        updatedAt: Date.now(),
      })
      .where(eq(users.id, input.id)),
    moderationEventInsert(db, {
      subjectType: 'user',
      subjectId: input.id,
      source: 'human',
      actorId: input.actorId,
      decision: input.banned ? 'banned' : 'unbanned',
      explanation: input.reason,
    }),
    db.select(userColumns).from(users).where(eq(users.id, input.id)),
    // Read before they are deleted: the cached copies of these sessions go too.
    sessionTokenHashes(db, input.id),
    // A ban ends every session at once: the user is signed out everywhere,
    // and with the sessions go the only keys to their unpublished media.
    ...(input.banned ? [db.delete(sessions).where(eq(sessions.userId, input.id))] : []),
  ])
  await forgetCachedSessions(
    env,
    ended.map((s) => s.tokenHash),
  )
  return user
}

export async function setRole(
  env: Env,
  db: Db,
  input: { id: string; role: Role; reason: string; actorId: string },
) {
  refuseSelf(input.actorId, input.id, 'change your own role')
  const before = await findUser(db, input.id)
  const [, , [user], current] = await db.batch([
    db.update(users).set({ role: input.role, updatedAt: Date.now() }).where(eq(users.id, input.id)),
    moderationEventInsert(db, {
      subjectType: 'user',
      subjectId: input.id,
      source: 'human',
      actorId: input.actorId,
      decision: `role:${input.role}`,
      explanation: `${before.role} -> ${input.role}: ${input.reason}`,
    }),
    db.select(userColumns).from(users).where(eq(users.id, input.id)),
    // Cached session records carry the role: they go, so the new role applies at once.
    sessionTokenHashes(db, input.id),
  ])
  await forgetCachedSessions(
    env,
    current.map((s) => s.tokenHash),
  )
  return user
}
