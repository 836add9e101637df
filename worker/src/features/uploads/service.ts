import { and, count, eq, gt, isNotNull } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { uploadParts, videos } from '../../db/schema'
import { ApiError } from '../../lib/errors'
import { inSeconds, requireSecret, signedQuery } from '../media/signing'
import type { VideoRow } from '../videos/access'
import {
  PART_SIZE_BYTES,
  SINGLE_PUT_MAX_BYTES,
  UPLOAD_URL_TTL_SECONDS,
  UPLOADS_PER_HOUR,
} from './limits'

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

export async function assertUploadRate(db: Db, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(videos)
    .where(
      and(
        eq(videos.creatorId, userId),
        isNotNull(videos.sourceKey),
        gt(videos.createdAt, Date.now() - 60 * 60 * 1000),
      ),
    )
  if ((row?.n ?? 0) >= UPLOADS_PER_HOUR) {
    throw new ApiError(
      429,
      'upload_rate',
      `You can upload ${UPLOADS_PER_HOUR} videos an hour. Please try again later.`,
    )
  }
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
