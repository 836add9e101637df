import { and, desc, eq, inArray, lt, or, sql } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../context'
import type { Db } from '../../db/client'
import { categories, follows, parentCategories, videoCategories, videos } from '../../db/schema'
import { decodeCursor, encodeCursor, pageQuery, type Cursor } from '../../lib/cursor'
import { notFound } from '../../lib/errors'
import { validate } from '../../lib/validate'
import { requireUser, userOf } from '../auth/middleware'
import { cachedAnonymousPage } from '../recommendations/serving'
import { videoNotHiddenFrom } from '../users/hidden'
import { presentVideos, selectVideoCards, visibleToEveryone } from '../videos/present'

// Newest published first; keyset on (published_at, id) so paging never skips
// or repeats when new videos are published meanwhile. With a viewer, clips of creators they
// blocked and clips they reported are left out (users/hidden.ts); without one the page is the
// shared one.
async function latestPage(
  db: Db,
  filter: ReturnType<typeof and>,
  after: Cursor | undefined,
  limit: number,
  viewerId: string | null,
) {
  const rows = await selectVideoCards(db)
    .where(
      and(
        visibleToEveryone({ listed: true }),
        // Inside the same query: a signed-in page still makes one round trip for its rows.
        viewerId ? videoNotHiddenFrom(viewerId) : undefined,
        filter,
        after
          ? or(
              lt(videos.publishedAt, after.at),
              and(eq(videos.publishedAt, after.at), lt(videos.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(videos.publishedAt), desc(videos.id))
    .limit(limit + 1)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    videos: await presentVideos(db, page, viewerId),
    nextCursor:
      rows.length > limit && last?.publishedAt != null
        ? encodeCursor({ at: last.publishedAt, id: last.id })
        : null,
  }
}

// A signed-in viewer's page carries their likes and is read from D1; everyone else shares a
// cached page (at most 60 s old, see cachedAnonymousPage).
function pageFor<T>(c: Context<AppEnv>, key: string, build: () => Promise<T>): Promise<T> {
  if (c.var.user) return build()
  const waitUntil = (promise: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(promise)
    } catch {
      // No execution context (direct app.request in tools): it finishes on its own.
      void promise
    }
  }
  return cachedAnonymousPage(c.env, key, build, waitUntil)
}

export const feedRoutes = new Hono<AppEnv>()
  .get('/latest', validate('query', pageQuery), async (c) => {
    const { cursor, limit } = c.req.valid('query')
    return c.json(
      await pageFor(c, `latest:${cursor ?? ''}:${limit}`, () =>
        latestPage(c.var.db, undefined, decodeCursor(cursor), limit, c.var.user?.id ?? null),
      ),
    )
  })
  .get('/following', requireUser, validate('query', pageQuery), async (c) => {
    const me = userOf(c)
    const { cursor, limit } = c.req.valid('query')
    const followed = c.var.db
      .select({ id: follows.followeeId })
      .from(follows)
      .where(eq(follows.followerId, me.id))
    return c.json(
      await latestPage(
        c.var.db,
        inArray(videos.creatorId, followed),
        decodeCursor(cursor),
        limit,
        me.id,
      ),
    )
  })
  .get('/category/:id', validate('query', pageQuery), async (c) => {
    const db = c.var.db
    const id = c.req.param('id')
    const { cursor, limit } = c.req.valid('query')
    return c.json(
      await pageFor(c, `category:${id}:${cursor ?? ''}:${limit}`, async () => {
        // A parent category's feed is the union of its children.
        const [parent] = await db.select().from(parentCategories).where(eq(parentCategories.id, id))
        const [child] = parent
          ? []
          : await db.select().from(categories).where(eq(categories.id, id))
        if (!parent && !child) throw notFound('Category')
        const categoryIds = parent
          ? db.select({ id: categories.id }).from(categories).where(eq(categories.parentId, id))
          : db
              .select({ id: sql<string>`${id}` })
              .from(categories)
              .where(eq(categories.id, id))
        const inCategory = inArray(
          videos.id,
          db
            .select({ id: videoCategories.videoId })
            .from(videoCategories)
            .where(inArray(videoCategories.categoryId, categoryIds)),
        )
        return latestPage(db, inCategory, decodeCursor(cursor), limit, c.var.user?.id ?? null)
      }),
    )
  })
