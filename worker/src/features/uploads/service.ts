import { and, eq, gt, isNotNull, min, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { uploadParts, videos } from '../../db/schema'
import { RateLimited } from '../../lib/errors'
import { inSeconds, requireSecret, signedQuery } from '../media/signing'
import type { VideoRow } from '../videos/access'
import {
  PART_SIZE_BYTES,
  SINGLE_PUT_MAX_BYTES,
  UPLOAD_URL_TTL_SECONDS,
  UPLOADS_PER_HOUR,
} from './limits'

const HOUR_MS = 60 * 60 * 1000

export const sourceKey = (videoId: string) => `uploads/${videoId}/source`
export const partResource = (videoId: string, partNumber: number) =>
  `upload/${videoId}/${partNumber}`

export function partLayout(sizeBytes: number) {
  if (sizeBytes <= SINGLE_PUT_MAX_BYTES) {
    return { mode: 'single' as const, partSize: sizeBytes, partCount: 1 }
  }
  return {
    mode: 'multipart' as const,
    partSize: PART_SIZE_BYTES,
    partCount: Math.ceil(sizeBytes / PART_SIZE_BYTES),
  }
}

// The size the part with this number must have (all equal but the last).
export function expectedPartSize(sizeBytes: number, partNumber: number) {
  const { partSize, partCount } = partLayout(sizeBytes)
  return partNumber === partCount ? sizeBytes - partSize * (partCount - 1) : partSize
}

export type NewUpload = {
  id: string
  creatorId: string
  title: string
  description: string
  visibility: VideoRow['visibility']
  sizeBytes: number
  contentType: string
  multipartUploadId: string | null
}

// Creates the upload's row only if the creator started fewer than
// UPLOADS_PER_HOUR uploads in the last hour. Counting and inserting are one
// statement, so concurrent requests cannot all pass a check made before any
// of them inserted (16 at once used to all get through).
export async function insertUploadWithinLimit(db: Db, upload: NewUpload, now = Date.now()) {
  const col = (c: { name: string }) => sql.identifier(c.name)
  const inserted = await db.all<{ id: string }>(sql`
    insert into ${videos} (${col(videos.id)}, ${col(videos.creatorId)}, ${col(videos.title)},
      ${col(videos.description)}, ${col(videos.visibility)}, ${col(videos.status)},
      ${col(videos.statusReason)}, ${col(videos.sourceKey)}, ${col(videos.sizeBytes)},
      ${col(videos.contentType)}, ${col(videos.multipartUploadId)})
    select ${upload.id}, ${upload.creatorId}, ${upload.title}, ${upload.description},
      ${upload.visibility}, 'uploading', 'Waiting for the file', ${sourceKey(upload.id)},
      ${upload.sizeBytes}, ${upload.contentType}, ${upload.multipartUploadId}
    where (
      select count(*) from ${videos}
      where ${videos.creatorId} = ${upload.creatorId}
        and ${videos.sourceKey} is not null
        and ${videos.createdAt} > ${now - HOUR_MS}
    ) < ${UPLOADS_PER_HOUR}
    returning ${col(videos.id)}`)
  if (!inserted.length) {
    throw new RateLimited(
      'upload_rate',
      `You can upload ${UPLOADS_PER_HOUR} videos an hour. Please try again later.`,
      await secondsUntilNextSlot(db, upload.creatorId, now),
    )
  }
}

// When the oldest upload of the last hour leaves the window.
async function secondsUntilNextSlot(db: Db, creatorId: string, now: number) {
  const [row] = await db
    .select({ oldest: min(videos.createdAt) })
    .from(videos)
    .where(
      and(
        eq(videos.creatorId, creatorId),
        isNotNull(videos.sourceKey),
        gt(videos.createdAt, now - HOUR_MS),
      ),
    )
  return row?.oldest ? (row.oldest + HOUR_MS - now) / 1000 : 60
}

export async function uploadedPartsOf(env: Env, db: Db, video: VideoRow) {
  if (!video.multipartUploadId) {
    const head = await env.MEDIA.head(sourceKey(video.id))
    return head ? [{ partNumber: 1, size: head.size }] : []
  }
  return db
    .select({ partNumber: uploadParts.partNumber, size: uploadParts.size })
    .from(uploadParts)
    .where(eq(uploadParts.videoId, video.id))
    .orderBy(uploadParts.partNumber)
}

// Everything a client needs to send (or resume sending) the file: one
// signed, expiring URL per part, and the parts that already arrived.
export async function uploadPlan(env: Env, db: Db, video: VideoRow) {
  const sizeBytes = video.sizeBytes ?? 0
  const layout = partLayout(sizeBytes)
  const expiresAt = inSeconds(UPLOAD_URL_TTL_SECONDS)
  const secret = requireSecret(env)
  const parts = []
  for (let partNumber = 1; partNumber <= layout.partCount; partNumber++) {
    const query = await signedQuery(secret, {
      method: 'PUT',
      resource: partResource(video.id, partNumber),
      expiresAt,
    })
    parts.push({ partNumber, url: `/signed/upload/${video.id}/${partNumber}?${query}` })
  }
  return {
    videoId: video.id,
    ...layout,
    sizeBytes,
    parts,
    uploadedParts: await uploadedPartsOf(env, db, video),
    expiresAt: expiresAt * 1000,
  }
}
