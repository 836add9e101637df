import { eq } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../context'
import { users, videos } from '../../db/schema'
import { ApiError, notFound } from '../../lib/errors'
import { findSessionUser, readSessionToken } from '../auth/session'
import { canSeeVideo } from '../videos/access'
import { contentTypeFor, isSafeMediaPath } from './files'
import { inSeconds, requireSecret, signedQuery, verifySignedUrl } from './signing'

export const PLAYBACK_TOKEN_TTL_SECONDS = 60 * 60

// A short-lived grant to play one unpublished video (for its owner and for
// moderators, e.g. from the admin dashboard on another origin).
export async function playbackQuery(env: Env, videoId: string) {
  return signedQuery(requireSecret(env), {
    method: 'GET',
    resource: `media/${videoId}/`,
    expiresAt: inSeconds(PLAYBACK_TOKEN_TTL_SECONDS),
    prefix: true,
  })
}

// Appends the grant to every URI line of a playlist, so variant playlists and
// segments fetched by the player carry it too.
function signPlaylist(text: string, query: string) {
  return text
    .split('\n')
    .map((line) =>
      line && !line.startsWith('#') ? `${line}${line.includes('?') ? '&' : '?'}${query}` : line,
    )
    .join('\n')
}

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
  const url = new URL(c.req.url)
  let grantQuery: string | null = null
  if (!isPublic) {
    if (url.searchParams.has('sig')) {
      const check = await verifySignedUrl(
        requireSecret(c.env),
        'GET',
        `media/${videoId}/${path}`,
        url,
      )
      if (!check.ok)
        throw new ApiError(403, 'bad_signature', 'This playback link is not valid or has expired')
      grantQuery = url.searchParams.toString()
    } else if (!canSeeVideo(row.video, row.creatorBanned, await viewerOf(c))) {
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
  if (isPlaylist && grantQuery) {
    const text = signPlaylist(await object.text(), grantQuery)
    headers.delete('Content-Length')
    return new Response(text, { status: 200, headers })
  }
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
