import { eq } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../context'
import { users, videos } from '../../db/schema'
import { ApiError, notFound } from '../../lib/errors'
import { checkPreconditions, parseRange, type ByteRange } from './conditionals'
import { findSessionUser, readSessionToken } from '../auth/session'
import { canSeeVideo } from '../videos/access'
import { contentTypeFor, isSafeMediaPath } from './files'

// Only media that is not public needs to know who asks: published segments
// (the bulk of all requests) skip the session lookup.
async function viewerOf(c: Context<AppEnv>) {
  const token = readSessionToken(c)
  return token ? findSessionUser(c.var.db, token) : null
}

export const playbackRoutes = new Hono<AppEnv>().get('/videos/:videoId/:path{.+}', async (c) => {
  const videoId = c.req.param('videoId')
  const path = c.req.param('path')
  if (!isSafeMediaPath(path)) throw notFound('File')
  const [row] = await c.var.db
    .select({ video: videos, creatorBanned: users.banned })
    .from(videos)
    .innerJoin(users, eq(users.id, videos.creatorId))
    .where(eq(videos.id, videoId))
  if (!row || row.video.status === 'removed') throw notFound('Video')
  const isPublic =
    row.video.status === 'published' && row.video.visibility !== 'private' && !row.creatorBanned
  // Media that is not public is served only to a session that may see the
  // video (its owner in good standing, or a moderator), never through a link:
  // a link works for whoever holds it, and outlives bans and rejections.
  if (!isPublic) {
    const viewer = await viewerOf(c)
    if (!viewer || viewer.banned || !canSeeVideo(row.video, row.creatorBanned, viewer)) {
      throw notFound('Video')
    }
  }
  const key = `videos/${videoId}/${path}`
  const head = await c.env.MEDIA.head(key)
  if (!head) throw notFound('File')
  const headers = new Headers()
  head.writeHttpMetadata(headers)
  headers.set('Content-Type', contentTypeFor(path))
  headers.set('ETag', head.httpEtag)
  headers.set('Accept-Ranges', 'bytes')
  const isPlaylist = path.endsWith('.m3u8')
  // Published media never changes under the same name: segments are cached
  // for long; playlists briefly. Anything else stays out of shared caches.
  headers.set(
    'Cache-Control',
    !isPublic
      ? 'private, no-store'
      : isPlaylist
        ? 'public, max-age=60'
        : 'public, max-age=31536000, immutable',
  )
  let range: ByteRange | null
  try {
    if (checkPreconditions(c.req.raw.headers, head.httpEtag) === 'not_modified') {
      return new Response(null, { status: 304, headers })
    }
    range = parseRange(c.req.header('Range') ?? null, head.size)
  } catch (err) {
    if (err instanceof ApiError && err.status === 416) {
      c.header('Content-Range', `bytes */${head.size}`)
    }
    throw err
  }
  const object = await c.env.MEDIA.get(key, range ? { range } : {})
  if (!object) throw notFound('File')
  if (range) {
    headers.set(
      'Content-Range',
      `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`,
    )
    headers.set('Content-Length', String(range.length))
    return new Response(object.body, { status: 206, headers })
  }
  headers.set('Content-Length', String(head.size))
  return new Response(object.body, { status: 200, headers })
})
