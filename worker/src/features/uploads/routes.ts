import { and, eq, inArray } from 'drizzle-orm'
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../../context'
import { categories, uploadParts, videoCategories, videoTags, videos } from '../../db/schema'
import { ApiError, forbidden, notFound } from '../../lib/errors'
import { newId } from '../../lib/ids'
import { validate } from '../../lib/validate'
import { requireUser, userOf } from '../auth/middleware'
import { enqueueTranscode } from '../media/transcode'
import { presentVideos, selectVideoCards } from '../videos/present'
import { ACCEPTED_NAMES, sniffContainer } from './limits'
import { uploadInput } from './schema'
import {
  insertUploadWithinLimit,
  partLayout,
  sourceKey,
  uploadedPartsOf,
  uploadPlan,
} from './service'

async function loadOwnUpload(c: Context<AppEnv>, id: string) {
  const me = userOf(c)
  const [video] = await c.var.db.select().from(videos).where(eq(videos.id, id))
  if (!video) throw notFound('Upload')
  if (video.creatorId !== me.id) throw forbidden('This is not your upload')
  return video
}

async function card(db: AppEnv['Variables']['db'], id: string, viewerId: string) {
  const rows = await selectVideoCards(db).where(eq(videos.id, id))
  const [video] = await presentVideos(db, rows, viewerId)
  return video
}

export const uploadRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post('/', validate('json', uploadInput), async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const input = c.req.valid('json')
    const wanted = [...new Set(input.categories)]
    if (wanted.length) {
      const known = await db
        .select({ id: categories.id })
        .from(categories)
        .where(inArray(categories.id, wanted))
      if (known.length !== wanted.length) {
        throw new ApiError(400, 'invalid_input', 'categories: unknown category', [
          { path: 'categories', message: 'Pick categories from the list' },
        ])
      }
    }
    const id = newId()
    const key = sourceKey(id)
    const layout = partLayout(input.sizeBytes)
    const multipart =
      layout.mode === 'multipart'
        ? await c.env.MEDIA.createMultipartUpload(key, {
            httpMetadata: { contentType: input.contentType },
          })
        : null
    try {
      await insertUploadWithinLimit(db, {
        id,
        creatorId: me.id,
        title: input.title,
        description: input.description,
        visibility: input.visibility,
        sizeBytes: input.sizeBytes,
        contentType: input.contentType,
        multipartUploadId: multipart?.uploadId ?? null,
      })
    } catch (err) {
      await multipart?.abort()
      throw err
    }
    const extras = [
      ...wanted.map((categoryId) => db.insert(videoCategories).values({ videoId: id, categoryId })),
      ...[...new Set(input.tags)].map((tag) => db.insert(videoTags).values({ videoId: id, tag })),
    ]
    const [first, ...rest] = extras
    if (first) await db.batch([first, ...rest])
    const [video] = await db.select().from(videos).where(eq(videos.id, id))
    if (!video) throw notFound('Upload')
    return c.json(
      { video: await card(db, id, me.id), upload: await uploadPlan(c.env, db, video) },
      201,
    )
  })
  .get('/:id', async (c) => {
    const video = await loadOwnUpload(c, c.req.param('id'))
    if (video.status !== 'uploading') {
      throw new ApiError(409, 'not_uploading', 'This upload is already complete')
    }
    return c.json({ upload: await uploadPlan(c.env, c.var.db, video) })
  })
  .post('/:id/complete', async (c) => {
    const me = userOf(c)
    const db = c.var.db
    const video = await loadOwnUpload(c, c.req.param('id'))
    if (video.status !== 'uploading') {
      // Completing twice is fine: the first one won.
      return c.json({ video: await card(db, video.id, me.id) })
    }
    const layout = partLayout(video.sizeBytes ?? 0)
    const arrived = await uploadedPartsOf(c.env, db, video)
    if (arrived.length < layout.partCount) {
      throw new ApiError(
        409,
        'upload_incomplete',
        `The upload is not complete yet: ${arrived.length} of ${layout.partCount} parts arrived`,
      )
    }
    const key = sourceKey(video.id)
    if (video.multipartUploadId) {
      const parts = await db
        .select()
        .from(uploadParts)
        .where(eq(uploadParts.videoId, video.id))
        .orderBy(uploadParts.partNumber)
      await c.env.MEDIA.resumeMultipartUpload(key, video.multipartUploadId).complete(
        parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })),
      )
    }
    const head = await c.env.MEDIA.get(key, { range: { offset: 0, length: 16 } })
    const bytes = head ? new Uint8Array(await head.arrayBuffer()) : new Uint8Array()
    const now = Date.now()
    if (!sniffContainer(bytes)) {
      // Not a video whatever its name says: fail it with a reason the creator
      // can act on, and keep no bytes of it.
      const reason = `This file is not a video we can read. We accept ${ACCEPTED_NAMES} files.`
      await db
        .update(videos)
        .set({ status: 'failed', statusReason: reason, statusChangedAt: now, updatedAt: now })
        .where(eq(videos.id, video.id))
      await c.env.MEDIA.delete(key)
      await db.delete(uploadParts).where(eq(uploadParts.videoId, video.id))
      throw new ApiError(422, 'unsupported_file', reason)
    }
    const jobId = newId()
    const moved = await db
      .update(videos)
      .set({
        status: 'processing',
        statusReason: 'Waiting for the transcoder',
        progress: 0,
        jobId,
        jobAttempts: 0,
        statusChangedAt: now,
        updatedAt: now,
      })
      .where(and(eq(videos.id, video.id), eq(videos.status, 'uploading')))
      .returning({ id: videos.id })
    if (moved.length) {
      await db.delete(uploadParts).where(eq(uploadParts.videoId, video.id))
      await enqueueTranscode(c.env, video.id, jobId)
    }
    return c.json({ video: await card(db, video.id, me.id) })
  })
  .delete('/:id', async (c) => {
    const db = c.var.db
    const video = await loadOwnUpload(c, c.req.param('id'))
    if (video.status !== 'uploading') {
      throw new ApiError(409, 'not_uploading', 'Only an unfinished upload can be cancelled')
    }
    if (video.multipartUploadId) {
      await c.env.MEDIA.resumeMultipartUpload(sourceKey(video.id), video.multipartUploadId).abort()
    }
    await c.env.MEDIA.delete(sourceKey(video.id))
    const now = Date.now()
    await db
      .update(videos)
      .set({
        status: 'removed',
        statusReason: 'Upload cancelled',
        statusChangedAt: now,
        updatedAt: now,
      })
      .where(eq(videos.id, video.id))
    await db.delete(uploadParts).where(eq(uploadParts.videoId, video.id))
    return c.json({ ok: true })
  })
