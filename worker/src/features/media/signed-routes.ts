import { and, eq } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../context'
import { uploadParts, videos } from '../../db/schema'
import { ApiError, notFound } from '../../lib/errors'
import { expectedPartSize, partLayout, partResource, sourceKey } from '../uploads/service'
import { contentTypeFor, isSafeMediaPath } from './files'
import { requireSecret, verifySignedUrl } from './signing'

// Routes reached through signed URLs only: no cookies, the signature is the
// permission. A tampered or expired URL gets 403 and writes nothing.
async function checkSignature(c: Context<AppEnv>, resource: string) {
  const result = await verifySignedUrl(
    requireSecret(c.env),
    c.req.method,
    resource,
    new URL(c.req.url),
  )
  if (!result.ok) {
    throw result.reason === 'expired'
      ? new ApiError(403, 'url_expired', 'This upload link has expired; ask for a new one')
      : new ApiError(403, 'bad_signature', 'This link is not valid')
  }
}

function declaredLength(c: Context<AppEnv>) {
  const length = Number(c.req.header('Content-Length'))
  if (!c.req.raw.body || !Number.isInteger(length) || length < 0) {
    throw new ApiError(411, 'length_required', 'Send the part with a Content-Length')
  }
  return length
}

export const signedRoutes = new Hono<AppEnv>()
  .put('/upload/:videoId/:partNumber', async (c) => {
    const videoId = c.req.param('videoId')
    const partNumber = Number(c.req.param('partNumber'))
    await checkSignature(c, partResource(videoId, partNumber))
    const db = c.var.db
    const [video] = await db.select().from(videos).where(eq(videos.id, videoId))
    if (!video) throw notFound('Upload')
    if (video.status !== 'uploading') {
      throw new ApiError(409, 'not_uploading', 'This upload is already complete')
    }
    const sizeBytes = video.sizeBytes ?? 0
    const { partCount } = partLayout(sizeBytes)
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > partCount) {
      throw new ApiError(400, 'bad_part', `Parts are numbered 1 to ${partCount}`)
    }
    const length = declaredLength(c)
    const expected = expectedPartSize(sizeBytes, partNumber)
    if (length !== expected) {
      throw new ApiError(
        400,
        'size_mismatch',
        `Part ${partNumber} should be ${expected} bytes, got ${length}. Was the file changed?`,
      )
    }
    const body = c.req.raw.body
    if (!body) throw new ApiError(411, 'length_required', 'Send the part with a Content-Length')
    if (!video.multipartUploadId) {
      await c.env.MEDIA.put(sourceKey(videoId), body, {
        httpMetadata: { contentType: video.contentType ?? 'application/octet-stream' },
      })
    } else {
      const part = await c.env.MEDIA.resumeMultipartUpload(
        sourceKey(videoId),
        video.multipartUploadId,
      ).uploadPart(partNumber, body)
      await db
        .insert(uploadParts)
        .values({ videoId, partNumber, etag: part.etag, size: length })
        .onConflictDoUpdate({
          target: [uploadParts.videoId, uploadParts.partNumber],
          set: { etag: part.etag, size: length },
        })
    }
    await db
      .update(videos)
      .set({ updatedAt: Date.now() })
      .where(and(eq(videos.id, videoId), eq(videos.status, 'uploading')))
    return c.json({ partNumber, size: length })
  })
  .get('/source/:videoId', async (c) => {
    const videoId = c.req.param('videoId')
    await checkSignature(c, `source/${videoId}`)
    const object = await c.env.MEDIA.get(sourceKey(videoId))
    if (!object) throw notFound('Source')
    return new Response(object.body, {
      headers: {
        'Content-Type': object.httpMetadata?.contentType ?? 'application/octet-stream',
        'Content-Length': String(object.size),
      },
    })
  })
  .put('/output/:videoId/:path{.+}', async (c) => {
    const videoId = c.req.param('videoId')
    const path = c.req.param('path')
    await checkSignature(c, `output/${videoId}/${path}`)
    if (!isSafeMediaPath(path)) throw new ApiError(400, 'bad_path', 'Unexpected output path')
    const length = declaredLength(c)
    const body = c.req.raw.body
    if (!body) throw new ApiError(411, 'length_required', 'Send the file with a Content-Length')
    await c.env.MEDIA.put(`videos/${videoId}/${path}`, body, {
      httpMetadata: { contentType: contentTypeFor(path) },
    })
    return c.json({ path, size: length })
  })
