// Profile pictures and banners live in our own storage. A profile that pointed at any
// http(s) host made every viewer's browser call that host, handing their address to
// whoever set the link; now the app only shows images uploaded here.

import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import { users } from '../../db/schema'
import { ApiError, notFound } from '../../lib/errors'
import { requireUser, userOf } from '../auth/middleware'
import { loadMe } from '../users/service'

export type ProfileImageKind = 'avatar' | 'banner'

export const PROFILE_IMAGE_MAX_BYTES = 4 * 1024 * 1024
const MEDIA_PREFIX = '/media/profiles/'

type ImageType = { contentType: string; extension: string }

// What the bytes are, whatever the request says: JPEG, PNG or WebP. Anything else (SVG,
// which can carry script, HTML, or a mislabelled file) is refused.
export function sniffImage(bytes: Uint8Array): ImageType | null {
  const starts = (...b: number[]) => b.every((v, i) => bytes[i] === v)
  if (starts(0xff, 0xd8, 0xff)) return { contentType: 'image/jpeg', extension: 'jpg' }
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) {
    return { contentType: 'image/png', extension: 'png' }
  }
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') {
    return { contentType: 'image/webp', extension: 'webp' }
  }
  return null
}

// Only our own images are shown; links stored before uploads existed read as none.
export function ownImageUrl(url: string | null): string | null {
  return url?.startsWith(MEDIA_PREFIX) ? url : null
}

const keyOf = (url: string) => `profiles/${url.slice(MEDIA_PREFIX.length)}`
const column = { avatar: 'avatarUrl', banner: 'bannerUrl' } as const

function kindOf(value: string): ProfileImageKind {
  if (value === 'avatar' || value === 'banner') return value
  throw notFound('Route')
}

async function replaceImage(
  c: { env: Env; var: AppEnv['Variables'] },
  userId: string,
  kind: ProfileImageKind,
  url: string | null,
): Promise<void> {
  const [row] = await c.var.db
    .select({ url: users[column[kind]] })
    .from(users)
    .where(eq(users.id, userId))
  await c.var.db
    .update(users)
    .set({ [column[kind]]: url, updatedAt: Date.now() })
    .where(eq(users.id, userId))
  // The old file goes after the profile points at the new one, so no profile shows a hole.
  const old = ownImageUrl(row?.url ?? null)
  if (old && old !== url) await c.env.MEDIA.delete(keyOf(old))
}

// PUT /api/me/avatar|banner with the image as the body; DELETE removes it.
export const profileImageRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .put('/:kind{avatar|banner}', async (c) => {
    const me = userOf(c)
    const kind = kindOf(c.req.param('kind'))
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    if (bytes.length === 0) {
      throw new ApiError(400, 'invalid_input', 'Choose an image to upload')
    }
    if (bytes.length > PROFILE_IMAGE_MAX_BYTES) {
      throw new ApiError(413, 'too_large', 'Images can be at most 4 MB')
    }
    const type = sniffImage(bytes)
    if (!type) {
      throw new ApiError(415, 'unsupported_image', 'Use a JPEG, PNG or WebP image')
    }
    // A fresh name per upload: the file can be cached for ever, and a replaced picture
    // never shows from a cache.
    const name = `${me.id}/${kind}-${crypto.randomUUID()}.${type.extension}`
    await c.env.MEDIA.put(`profiles/${name}`, bytes, {
      httpMetadata: { contentType: type.contentType },
    })
    await replaceImage(c, me.id, kind, `${MEDIA_PREFIX}${name}`)
    return c.json({ user: await loadMe(c.var.db, me.id) })
  })
  .delete('/:kind{avatar|banner}', async (c) => {
    const me = userOf(c)
    await replaceImage(c, me.id, kindOf(c.req.param('kind')), null)
    return c.json({ user: await loadMe(c.var.db, me.id) })
  })

// GET /media/profiles/:userId/:file. Public like the profile itself; a banned user's
// images are not served.
export const profileImageFiles = new Hono<AppEnv>().get('/:userId/:file', async (c) => {
  const userId = c.req.param('userId')
  const file = c.req.param('file')
  if (!/^(avatar|banner)-[0-9a-f-]{36}\.(jpg|png|webp)$/.test(file)) throw notFound('File')
  const [row] = await c.var.db
    .select({ banned: users.banned })
    .from(users)
    .where(eq(users.id, userId))
  if (!row || row.banned) throw notFound('File')
  const object = await c.env.MEDIA.get(`profiles/${userId}/${file}`)
  if (!object) throw notFound('File')
  const headers = new Headers()
  object.writeHttpMetadata(headers)
  headers.set('ETag', object.httpEtag)
  headers.set('Cache-Control', 'public, max-age=31536000, immutable')
  headers.set('Content-Length', String(object.size))
  return new Response(object.body, { headers })
})
