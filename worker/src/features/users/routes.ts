import { and, desc, eq, inArray, lt, ne, or } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import {
  follows,
  parentCategories,
  userBlocks,
  userInterests,
  users,
  videos,
  type ProfileField,
} from '../../db/schema'
import { decodeCursor, encodeCursor, pageQuery } from '../../lib/cursor'
import { ApiError, notFound } from '../../lib/errors'
import { validate } from '../../lib/validate'
import { requireUser, userOf } from '../auth/middleware'
import { presentVideos, selectVideoCards, visibleToEveryone } from '../videos/present'
import { interestsInput, profileInput } from './schema'
import { videoNotReportedBy } from './hidden'
import { changeProfileText, type ProfileTextOutcome } from './profile-text'
import { loadMe, loadProfile } from './service'

async function findUserId(c: { var: AppEnv['Variables'] }, username: string) {
  const [row] = await c.var.db
    .select({ id: users.id, banned: users.banned })
    .from(users)
    .where(eq(users.username, username.toLowerCase()))
  if (!row || (row.banned && row.id !== c.var.user?.id)) throw notFound('User')
  return row.id
}

export const userRoutes = new Hono<AppEnv>()
  .get('/:username', async (c) => {
    const profile = await loadProfile(c.var.db, c.req.param('username'), c.var.user?.id ?? null)
    return c.json({ profile })
  })
  .get('/:username/videos', validate('query', pageQuery), async (c) => {
    const { cursor, limit } = c.req.valid('query')
    const creatorId = await findUserId(c, c.req.param('username'))
    const viewerId = c.var.user?.id ?? null
    const after = decodeCursor(cursor)
    // The owner sees every upload (with status); everyone else only what is public, less the
    // clips they reported.
    const visible =
      viewerId === creatorId
        ? and(eq(videos.creatorId, creatorId), ne(videos.status, 'removed'))
        : and(
            eq(videos.creatorId, creatorId),
            visibleToEveryone({ listed: true }),
            viewerId ? videoNotReportedBy(viewerId) : undefined,
          )
    const rows = await selectVideoCards(c.var.db)
      .where(
        and(
          visible,
          after
            ? or(
                lt(videos.createdAt, after.at),
                and(eq(videos.createdAt, after.at), lt(videos.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(videos.createdAt), desc(videos.id))
      .limit(limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return c.json({
      videos: await presentVideos(c.var.db, page, viewerId),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    })
  })
  .post('/:username/follow', requireUser, async (c) => {
    const me = userOf(c)
    const followeeId = await findUserId(c, c.req.param('username'))
    if (followeeId === me.id)
      throw new ApiError(400, 'cannot_follow_self', 'You cannot follow yourself')
    await c.var.db.insert(follows).values({ followerId: me.id, followeeId }).onConflictDoNothing()
    return c.json({ following: true })
  })
  .delete('/:username/follow', requireUser, async (c) => {
    const me = userOf(c)
    const followeeId = await findUserId(c, c.req.param('username'))
    await c.var.db
      .delete(follows)
      .where(and(eq(follows.followerId, me.id), eq(follows.followeeId, followeeId)))
    return c.json({ following: false })
  })
  // Blocking takes the creator out of everything recommended to the blocker (feed, similar
  // videos, exploration), out of the blocker's Explore pages and comment threads (hidden.ts),
  // and ends follows both ways. Repeating it changes nothing.
  .post('/:username/block', requireUser, async (c) => {
    const me = userOf(c)
    const blockedId = await findUserId(c, c.req.param('username'))
    if (blockedId === me.id)
      throw new ApiError(400, 'cannot_block_self', 'You cannot block yourself')
    const db = c.var.db
    await db.batch([
      db.insert(userBlocks).values({ blockerId: me.id, blockedId }).onConflictDoNothing(),
      db
        .delete(follows)
        .where(
          or(
            and(eq(follows.followerId, me.id), eq(follows.followeeId, blockedId)),
            and(eq(follows.followerId, blockedId), eq(follows.followeeId, me.id)),
          ),
        ),
    ])
    return c.json({ blocked: true })
  })
  .delete('/:username/block', requireUser, async (c) => {
    const me = userOf(c)
    const blockedId = await findUserId(c, c.req.param('username'))
    await c.var.db
      .delete(userBlocks)
      .where(and(eq(userBlocks.blockerId, me.id), eq(userBlocks.blockedId, blockedId)))
    return c.json({ blocked: false })
  })

export const meRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json({ user: await loadMe(c.var.db, userOf(c).id) }))
  .patch('/', validate('json', profileInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const { displayName, bio, ...rest } = c.req.valid('json')
    if (Object.keys(rest).length > 0) {
      await db
        .update(users)
        .set({ ...rest, updatedAt: Date.now() })
        .where(eq(users.id, me.id))
    }
    // Text others read is checked first; what is held waits for a moderator.
    const [current] = await db
      .select({ displayName: users.displayName, bio: users.bio })
      .from(users)
      .where(eq(users.id, me.id))
    if (!current) throw notFound('User')
    const moderation: Partial<Record<ProfileField, ProfileTextOutcome>> = {}
    for (const [field, text] of [
      ['displayName', displayName],
      ['bio', bio],
    ] as const) {
      if (text === undefined) continue
      const outcome = await changeProfileText(c.env, db, me.id, field, text, current[field])
      if (outcome) moderation[field] = outcome
    }
    return c.json({ user: await loadMe(db, me.id), moderation })
  })
  .put('/interests', validate('json', interestsInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const wanted = [...new Set(c.req.valid('json').interests)]
    const known = wanted.length
      ? await db
          .select({ id: parentCategories.id })
          .from(parentCategories)
          .where(inArray(parentCategories.id, wanted))
      : []
    if (known.length !== wanted.length) {
      throw new ApiError(400, 'invalid_input', 'interests: unknown category')
    }
    await db.batch([
      db.delete(userInterests).where(eq(userInterests.userId, me.id)),
      ...wanted.map((p) => db.insert(userInterests).values({ userId: me.id, parentCategoryId: p })),
    ])
    return c.json({ user: await loadMe(db, me.id) })
  })
  .get('/videos', validate('query', pageQuery), async (c) => {
    const me = userOf(c)
    const { cursor, limit } = c.req.valid('query')
    const after = decodeCursor(cursor)
    const rows = await selectVideoCards(c.var.db)
      .where(
        and(
          eq(videos.creatorId, me.id),
          ne(videos.status, 'removed'),
          after
            ? or(
                lt(videos.createdAt, after.at),
                and(eq(videos.createdAt, after.at), lt(videos.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(videos.createdAt), desc(videos.id))
      .limit(limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return c.json({
      videos: await presentVideos(c.var.db, page, me.id),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    })
  })
