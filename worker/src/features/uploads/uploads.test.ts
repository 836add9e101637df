import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { call, db, fetchWorker, makeUser, type TestUser } from '../../../test/helpers'
import { uploadParts, videos } from '../../db/schema'
import { PART_SIZE_BYTES } from './limits'
import { sourceKey } from './service'

// A few bytes that look like an MP4 (ftyp box) followed by filler.
function fakeMp4(size: number, seed = 1) {
  const bytes = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    bytes[i] = x & 0xff
  }
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d], 0)
  return bytes
}

async function sha256(bytes: Uint8Array | ArrayBuffer) {
  const d = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

async function createUpload(user: TestUser, sizeBytes: number, over: Record<string, unknown> = {}) {
  return call('POST', '/api/uploads', {
    user,
    body: {
      title: 'My clip',
      fileName: 'clip.mp4',
      sizeBytes,
      contentType: 'video/mp4',
      categories: ['recipes'],
      tags: ['pasta'],
      ...over,
    },
  })
}

const putPart = (url: string, body: Uint8Array) =>
  fetchWorker(url, { method: 'PUT', body, headers: { 'Content-Length': String(body.byteLength) } })

describe('uploads: happy path', () => {
  it('single PUT, then complete moves the video to processing with a job', async () => {
    const u = await makeUser()
    const file = fakeMp4(64 * 1024)
    const created = await createUpload(u, file.byteLength)
    expect(created.status).toBe(201)
    expect(created.json.video.status).toBe('uploading')
    const plan = created.json.upload
    expect(plan).toMatchObject({ mode: 'single', partCount: 1, uploadedParts: [] })
    const put = await putPart(plan.parts[0].url, file)
    expect(put.status).toBe(200)
    const done = await call('POST', `/api/uploads/${plan.videoId}/complete`, { user: u })
    expect(done.status).toBe(200)
    expect(done.json.video.status).toBe('processing')
    const [row] = await db().select().from(videos).where(eq(videos.id, plan.videoId))
    expect(row?.jobId).toBeTruthy()
    const stored = await env.MEDIA.get(sourceKey(plan.videoId))
    expect(await sha256(await (stored as R2ObjectBody).arrayBuffer())).toBe(await sha256(file))
    // Completing twice changes nothing.
    const again = await call('POST', `/api/uploads/${plan.videoId}/complete`, { user: u })
    expect(again.json.video.status).toBe('processing')
  })

  it('an interrupted multipart upload resumes where it stopped and completes byte-identical', async () => {
    const u = await makeUser()
    const file = fakeMp4(PART_SIZE_BYTES * 5 + 12_345, 7)
    const created = await createUpload(u, file.byteLength)
    const plan = created.json.upload
    expect(plan.mode).toBe('multipart')
    expect(plan.partCount).toBe(6)
    const slice = (n: number) =>
      file.subarray((n - 1) * PART_SIZE_BYTES, Math.min(file.byteLength, n * PART_SIZE_BYTES))
    // The connection drops after three parts...
    for (const n of [1, 2, 3])
      expect((await putPart(plan.parts[n - 1].url, slice(n))).status).toBe(200)
    const early = await call('POST', `/api/uploads/${plan.videoId}/complete`, { user: u })
    expect(early.status).toBe(409)
    expect(early.json.error.message).toMatch(/3 of 6 parts/)
    // ...and after a reload the client asks what arrived and sends the rest.
    const resumed = await call('GET', `/api/uploads/${plan.videoId}`, { user: u })
    expect(
      resumed.json.upload.uploadedParts.map((p: { partNumber: number }) => p.partNumber),
    ).toEqual([1, 2, 3])
    for (const n of [4, 5, 6])
      expect((await putPart(resumed.json.upload.parts[n - 1].url, slice(n))).status).toBe(200)
    // Re-sending a part is harmless.
    expect((await putPart(resumed.json.upload.parts[1].url, slice(2))).status).toBe(200)
    const done = await call('POST', `/api/uploads/${plan.videoId}/complete`, { user: u })
    expect(done.status).toBe(200)
    const stored = (await env.MEDIA.get(sourceKey(plan.videoId))) as R2ObjectBody
    expect(stored.size).toBe(file.byteLength)
    expect(await sha256(await stored.arrayBuffer())).toBe(await sha256(file))
    expect(
      await db().select().from(uploadParts).where(eq(uploadParts.videoId, plan.videoId)),
    ).toHaveLength(0)
  })

  it('cancelling an upload removes what arrived', async () => {
    const u = await makeUser()
    const file = fakeMp4(1000)
    const plan = (await createUpload(u, file.byteLength)).json.upload
    await putPart(plan.parts[0].url, file)
    expect((await call('DELETE', `/api/uploads/${plan.videoId}`, { user: u })).status).toBe(200)
    expect(await env.MEDIA.head(sourceKey(plan.videoId))).toBeNull()
    const [row] = await db().select().from(videos).where(eq(videos.id, plan.videoId))
    expect(row?.status).toBe('removed')
  })
})

describe('uploads: errors', () => {
  it('explains limits on size, type, title and categories', async () => {
    const u = await makeUser()
    const big = await createUpload(u, 600 * 1024 * 1024)
    expect(big.status).toBe(400)
    expect(big.json.error.message).toMatch(/at most 500 MB/)
    const type = await createUpload(u, 1000, { contentType: 'application/pdf' })
    expect(type.json.error.message).toMatch(/MP4, MOV, WebM, MKV or AVI/)
    expect((await createUpload(u, 0)).json.error.message).toMatch(/empty/)
    expect((await createUpload(u, 10, { categories: ['nope'] })).status).toBe(400)
  })

  it('files that are not video end failed with a readable reason and keep no bytes', async () => {
    const u = await makeUser()
    const samples: Record<string, Uint8Array> = {
      text: new TextEncoder().encode('hello, this is not a video at all'.repeat(10)),
      png: new Uint8Array([
        0x89,
        0x50,
        0x4e,
        0x47,
        0x0d,
        0x0a,
        0x1a,
        0x0a,
        ...new Array(100).fill(0),
      ]),
      random: crypto.getRandomValues(new Uint8Array(4096)),
    }
    for (const [name, bytes] of Object.entries(samples)) {
      const plan = (await createUpload(u, bytes.byteLength, { fileName: `${name}.mp4` })).json
        .upload
      await putPart(plan.parts[0].url, bytes)
      const done = await call('POST', `/api/uploads/${plan.videoId}/complete`, { user: u })
      expect(done.status, name).toBe(422)
      expect(done.json.error.code).toBe('unsupported_file')
      const [row] = await db().select().from(videos).where(eq(videos.id, plan.videoId))
      expect(row?.status).toBe('failed')
      expect(row?.statusReason).toMatch(/not a video we can read/)
      expect(await env.MEDIA.head(sourceKey(plan.videoId))).toBeNull()
    }
  })

  it('a part of the wrong size is refused', async () => {
    const u = await makeUser()
    const plan = (await createUpload(u, 1000)).json.upload
    const res = await putPart(plan.parts[0].url, fakeMp4(999))
    expect(res.status).toBe(400)
    expect(await env.MEDIA.head(sourceKey(plan.videoId))).toBeNull()
  })

  it('limits how many uploads a creator starts per hour, counting the last hour only', async () => {
    const u = await makeUser()
    // Nine uploads 50 minutes ago and one two hours ago: one slot is left.
    for (let i = 0; i < 10; i++) {
      await db()
        .insert(videos)
        .values({
          id: `old-${u.id}-${i}`,
          creatorId: u.id,
          title: 'earlier',
          sourceKey: sourceKey(`old-${u.id}-${i}`),
          createdAt: Date.now() - (i === 9 ? 2 * 60 : 50) * 60 * 1000,
        })
    }
    expect((await createUpload(u, 100)).status).toBe(201)
    const over = await createUpload(u, 100)
    expect(over.status).toBe(429)
    expect(over.json.error.code).toBe('upload_rate')
    // The slot frees up when the oldest upload of the hour is an hour old.
    const retryAfter = Number(over.headers.get('Retry-After'))
    expect(retryAfter).toBeGreaterThan(9 * 60)
    expect(retryAfter).toBeLessThanOrEqual(10 * 60 + 1)
  })

  it('the 11th upload in an hour is refused even when 16 arrive at once', async () => {
    const u = await makeUser()
    // Five earlier uploads this hour; the per-minute burst limit (10) lets ten
    // of the sixteen through to D1, where exactly five may still be created.
    for (let i = 0; i < 5; i++) {
      await db()
        .insert(videos)
        .values({
          id: `early-${u.id}-${i}`,
          creatorId: u.id,
          title: 'earlier',
          sourceKey: sourceKey(`early-${u.id}-${i}`),
          createdAt: Date.now() - 10 * 60 * 1000,
        })
    }
    const results = await Promise.all(Array.from({ length: 16 }, () => createUpload(u, 100)))
    const created = results.filter((r) => r.status === 201)
    expect(created).toHaveLength(5)
    expect(results.filter((r) => r.status === 429)).toHaveLength(11)
    const rows = await db().select().from(videos).where(eq(videos.creatorId, u.id))
    expect(rows).toHaveLength(10)
  })
})

describe('uploads: security', () => {
  it('tampered, expired and misdirected upload URLs get 403 and write nothing', async () => {
    const u = await makeUser()
    const file = fakeMp4(2048)
    const plan = (await createUpload(u, file.byteLength)).json.upload
    const other = (await createUpload(u, file.byteLength)).json.upload
    const url = new URL(plan.parts[0].url, 'http://localhost:8787')
    const variants: string[] = []
    const flipped = new URL(url)
    const sig = flipped.searchParams.get('sig') ?? ''
    flipped.searchParams.set('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1))
    variants.push(flipped.toString())
    const expired = new URL(url)
    expired.searchParams.set('exp', String(Math.floor(Date.now() / 1000) - 10))
    variants.push(expired.toString())
    // Another video's signature on this video's path.
    const swapped = new URL(url)
    swapped.search = new URL(other.parts[0].url, 'http://localhost:8787').search
    variants.push(swapped.toString())
    const unsigned = new URL(url)
    unsigned.search = ''
    variants.push(unsigned.toString())
    for (const v of variants) {
      const res = await putPart(v, file)
      expect(res.status, v).toBe(403)
    }
    // Wrong method on a valid URL.
    expect((await fetchWorker(url.toString())).status).toBe(404)
    expect(await env.MEDIA.head(sourceKey(plan.videoId))).toBeNull()
  })

  it('only the creator can resume, complete or cancel an upload', async () => {
    const u = await makeUser()
    const other = await makeUser()
    const plan = (await createUpload(u, 100)).json.upload
    for (const [method, path] of [
      ['GET', `/api/uploads/${plan.videoId}`],
      ['POST', `/api/uploads/${plan.videoId}/complete`],
      ['DELETE', `/api/uploads/${plan.videoId}`],
    ] as const) {
      expect((await call(method, path, { user: other })).status).toBe(403)
      expect((await call(method, path)).status).toBe(401)
    }
  })
})
