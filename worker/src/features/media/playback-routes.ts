import { eq } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../context'
import { users, videos } from '../../db/schema'
import { notFound } from '../../lib/errors'
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
  const object = await c.env.MEDIA.get(`videos/${videoId}/${path}`, {
    range: c.req.raw.headers,
    onlyIf: c.req.raw.headers,
  })
  if (!object) throw notFound('File')
  const headers = new Headers()
  object.writeHttpMetadata(headers)
  headers.set('Content-Type', contentTypeFor(path))
  headers.set('ETag', object.httpEtag)
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
  if (!('body' in object)) return new Response(null, { status: 304, headers })
  const range = object.range
  if (range && c.req.header('Range')) {
    const offset = 'offset' in range && range.offset !== undefined ? range.offset : 0
    const length =
      'length' in range && range.length !== undefined ? range.length : object.size - offset
    headers.set('Content-Range', `bytes ${offset}-${offset + length - 1}/${object.size}`)
    headers.set('Content-Length', String(length))
    return new Response(object.body, { status: 206, headers })
  }
  headers.set('Content-Length', String(object.size))
  return new Response(object.body, { status: 200, headers })
})
