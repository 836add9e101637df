import { and, desc, eq, inArray, lt, notExists, or, type SQL } from 'drizzle-orm'
import { union } from 'drizzle-orm/sqlite-core'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../context'
import type { Db } from '../../db/client'
import { categories, follows, parentCategories, videoCategories, videos } from '../../db/schema'
import { decodeCursor, encodeCursor, pageQuery, type Cursor } from '../../lib/cursor'
import { notFound, unauthenticated } from '../../lib/errors'
import { validate } from '../../lib/validate'
import { waitUntilOf } from '../../lib/wait-until'
import { requireUser, userOf } from '../auth/middleware'
import { forgetSession, liveSessionQuery, sessionToConfirm } from '../auth/session'
import { cachedAnonymousPage } from '../recommendations/anonymous-pages'
import { videoNotHiddenFrom } from '../users/hidden'
import {
  presentCompleteCard,
  selectCompleteCards,
  visibleToEveryone,
  type VideoCard,
} from '../videos/present'

// Newest published first; keyset on (published_at, id) so paging never skips
// or repeats when new videos are published meanwhile. With a viewer, clips of creators they
// blocked and clips they reported are left out (users/hidden.ts); without one the page is the
// shared one. One statement: the rows carry their categories, tags and the viewer's like.
function latestQuery(
  db: Db,
  filter: SQL | undefined,
  after: Cursor | undefined,
  limit: number,
  viewerId: string | null,
) {
  return selectCompleteCards(db, viewerId)
    .where(
      and(
        visibleToEveryone({ listed: true }),
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
}

type LatestQuery = ReturnType<typeof latestQuery>
type LatestRows = Awaited<LatestQuery>

interface LatestPage {
  videos: VideoCard[]
  nextCursor: string | null
}

function latestPage(rows: LatestRows, limit: number, viewerId: string | null): LatestPage {
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    videos: page.map((row) => presentCompleteCard(row, viewerId)),
    nextCursor:
      rows.length > limit && last?.publishedAt != null
        ? encodeCursor({ at: last.publishedAt, id: last.id })
        : null,
  }
}

// A category page's category: a parent (the union of its children) or a child. Read in the
// page's own batch; no row means 404.
function categoryExists(db: Db, id: string) {
  return union(
    db
      .select({ id: parentCategories.id })
      .from(parentCategories)
      .where(eq(parentCategories.id, id)),
    db.select({ id: categories.id }).from(categories).where(eq(categories.id, id)),
  )
}

function inCategory(db: Db, id: string): SQL {
  // A parent's children, or the child itself when no parent has this id.
  const categoryIds = db
    .select({ id: categories.id })
    .from(categories)
    .where(
      or(
        eq(categories.parentId, id),
        and(
          eq(categories.id, id),
          notExists(
            db
              .select({ id: parentCategories.id })
              .from(parentCategories)
              .where(eq(parentCategories.id, id)),
          ),
        ),
      ),
    )
  return inArray(
    videos.id,
    db
      .select({ id: videoCategories.videoId })
      .from(videoCategories)
      .where(inArray(videoCategories.categoryId, categoryIds)),
  )
}

interface PageRead {
  rows: LatestQuery
  category?: ReturnType<typeof categoryExists>
}

// The page's reads in one D1 round trip. `confirm` is the token hash of a session this
// request took from a record (auth/session.ts): it is confirmed (live, user not banned) in the
// same db.batch(), and when it is not, null is returned and nothing read for the viewer is
// served. So these pages read no KV for their session, and a session revoked elsewhere (or its
// user banned) is refused on its next page, as on the signed-in feed.
async function readPage(
  db: Db,
  read: PageRead,
  confirm: string | undefined,
): Promise<{ rows: LatestRows; found: boolean } | null> {
  const { rows, category } = read
  if (confirm) {
    const live = liveSessionQuery(db, confirm, Date.now())
    if (category) {
      const [session, exists, page] = await db.batch([live, category, rows])
      return session.length > 0 ? { rows: page, found: exists.length > 0 } : null
    }
    const [session, page] = await db.batch([live, rows])
    return session.length > 0 ? { rows: page, found: true } : null
  }
  if (category) {
    const [exists, page] = await db.batch([category, rows])
    return { rows: page, found: exists.length > 0 }
  }
  return { rows: await rows, found: true }
}

// A signed-in viewer's page carries their likes and is read from D1; everyone else (and a
// viewer whose session did not confirm) shares a cached page (at most 60 s old, see
// cachedAnonymousPage). A banned viewer is served as signed out, as on the signed-in feed:
// the confirmation refuses a banned user's session, so a session read from D1 just now must
// not answer otherwise.
async function pageFor(
  c: Context<AppEnv>,
  key: string,
  limit: number,
  read: (viewerId: string | null) => PageRead,
): Promise<LatestPage> {
  const user = c.var.user
  const waitUntil = waitUntilOf(c)
  if (user && !user.banned) {
    const confirm = sessionToConfirm(user)
    const page = await readPage(c.var.db, read(user.id), confirm)
    if (page) {
      if (!page.found) throw notFound('Category')
      return latestPage(page.rows, limit, user.id)
    }
    waitUntil(forgetSession(c.env, confirm ?? ''))
  }
  return cachedAnonymousPage(
    c.env,
    key,
    async () => {
      const page = await readPage(c.var.db, read(null), undefined)
      if (!page?.found) throw notFound('Category')
      return latestPage(page.rows, limit, null)
    },
    waitUntil,
  )
}

export const feedRoutes = new Hono<AppEnv>()
  .get('/latest', validate('query', pageQuery), async (c) => {
    const { cursor, limit } = c.req.valid('query')
    const after = decodeCursor(cursor)
    return c.json(
      await pageFor(c, `latest:${cursor ?? ''}:${limit}`, limit, (viewerId) => ({
        rows: latestQuery(c.var.db, undefined, after, limit, viewerId),
      })),
    )
  })
  .get('/following', requireUser, validate('query', pageQuery), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    // Refused like a session that does not confirm (see pageFor).
    if (me.banned) throw unauthenticated()
    const { cursor, limit } = c.req.valid('query')
    const followed = db
      .select({ id: follows.followeeId })
      .from(follows)
      .where(eq(follows.followerId, me.id))
    const confirm = sessionToConfirm(me)
    const page = await readPage(
      db,
      {
        rows: latestQuery(
          db,
          inArray(videos.creatorId, followed),
          decodeCursor(cursor),
          limit,
          me.id,
        ),
      },
      confirm,
    )
    if (!page) {
      waitUntilOf(c)(forgetSession(c.env, confirm ?? ''))
      // The session ended: as for any request without one.
      throw unauthenticated()
    }
    return c.json(latestPage(page.rows, limit, me.id))
  })
  .get('/category/:id', validate('query', pageQuery), async (c) => {
    const db = c.var.db
    const id = c.req.param('id')
    const { cursor, limit } = c.req.valid('query')
    const after = decodeCursor(cursor)
    return c.json(
      await pageFor(c, `category:${id}:${cursor ?? ''}:${limit}`, limit, (viewerId) => ({
        rows: latestQuery(db, inCategory(db, id), after, limit, viewerId),
        category: categoryExists(db, id),
      })),
    )
  })
