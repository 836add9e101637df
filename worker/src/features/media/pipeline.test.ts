import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { call, db, fetchWorker, makeUser, makeVideo, type TestUser } from '../../../test/helpers'
import { users, videos, type VideoStatus } from '../../db/schema'
import { signedQuery } from './signing'
import { callbackToken } from './transcode'

async function processingVideo(creator: TestUser) {
  const id = await makeVideo(creator.id, { status: 'processing' })
  const jobId = `job-${id}`
  await db().update(videos).set({ jobId, jobAttempts: 1 }).where(eq(videos.id, id))
  return { id, jobId }
}

const result = (durationSeconds = 12) => ({
  probe: { durationSeconds, width: 720, height: 1280, rotation: 0, hasAudio: true },
  master: 'hls/master.m3u8',
  renditions: [
    {
      name: '480p',
      width: 480,
      height: 854,
      bandwidth: 1_200_000,
      playlist: 'hls/480p/index.m3u8',
      segments: 3,
    },
  ],
  poster: 'poster.jpg',
  sprite: { path: 'sprite.jpg', columns: 5, rows: 1 },
  frames: [
    {
      path: 'frames/0001.jpg',
      timeSeconds: 0,
      scores: { Porn: 0.01, Sexy: 0.02, Neutral: 0.95, Hentai: 0, Drawing: 0.02 },
    },
  ],
  frameClassifier: { name: 'nsfwjs', version: '4.3.0' },
})

async function report(
  videoId: string,
  jobId: string,
  body: Record<string, unknown>,
  token?: string,
) {
  return call('POST', `/api/internal/transcode/${videoId}`, {
    body: { jobId, ...body },
    headers: { Authorization: `Bearer ${token ?? (await callbackToken(env, videoId, jobId))}` },
    origin: null,
  })
}

describe('transcoder reports', () => {
  it('progress is shown to the creator in words and percent', async () => {
    const creator = await makeUser()
    const { id, jobId } = await processingVideo(creator)
    expect(
      (await report(id, jobId, { type: 'progress', stage: 'transcoding', percent: 42.4 })).status,
    ).toBe(200)
    const own = await call('GET', `/api/videos/${id}`, { user: creator })
    expect(own.json.video).toMatchObject({
      status: 'processing',
      progress: 42,
      statusReason: 'Preparing playback versions',
    })
  })

  it('a completed job stores the media and moves the video to moderation, never published', async () => {
    const creator = await makeUser()
    const { id, jobId } = await processingVideo(creator)
    expect((await report(id, jobId, { type: 'completed', result: result() })).status).toBe(200)
    const [row] = await db().select().from(videos).where(eq(videos.id, id))
    expect(row).toMatchObject({
      status: 'moderating',
      width: 720,
      height: 1280,
      durationSeconds: 12,
      progress: 100,
    })
    expect(JSON.parse(row?.media ?? '{}').frames).toHaveLength(1)
    // A duplicate report changes nothing.
    await report(id, jobId, { type: 'completed', result: result() })
    const [again] = await db().select().from(videos).where(eq(videos.id, id))
    expect(again?.statusChangedAt).toBe(row?.statusChangedAt)
  })

  it('a repeated final report queues moderation again, so a video cut off before its job was queued is still decided', async () => {
    const creator = await makeUser()
    const { id, jobId } = await processingVideo(creator)
    // As after a first report that moved the video on and was cut off before queueing its job.
    await db()
      .update(videos)
      .set({ status: 'moderating', media: JSON.stringify(result()) })
      .where(eq(videos.id, id))
    expect((await report(id, jobId, { type: 'completed', result: result() })).status).toBe(200)
    // The queue consumer runs in this isolate; its first classification loads the model.
    let status: string | undefined = 'moderating'
    const deadline = Date.now() + 60_000
    while (status === 'moderating' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200))
      status = (await db().select().from(videos).where(eq(videos.id, id)))[0]?.status
    }
    expect(status).toBe('published')
  }, 90_000)

  it('a too-long video fails with the limit in words', async () => {
    const creator = await makeUser()
    const { id, jobId } = await processingVideo(creator)
    await report(id, jobId, { type: 'completed', result: result(500) })
    const [row] = await db().select().from(videos).where(eq(videos.id, id))
    expect(row?.status).toBe('failed')
    expect(row?.statusReason).toMatch(/at most 180 seconds/)
  })

  it('a final failure ends failed with the transcoder’s reason; a retryable one gets a new job', async () => {
    const creator = await makeUser()
    const a = await processingVideo(creator)
    await report(a.id, a.jobId, {
      type: 'failed',
      code: 'truncated',
      reason: 'The file ends early.',
      retryable: false,
    })
    const [rowA] = await db().select().from(videos).where(eq(videos.id, a.id))
    expect(rowA).toMatchObject({ status: 'failed', statusReason: 'The file ends early.' })
    const b = await processingVideo(creator)
    await report(b.id, b.jobId, {
      type: 'failed',
      code: 'internal',
      reason: 'ffmpeg crashed',
      retryable: true,
    })
    const [rowB] = await db().select().from(videos).where(eq(videos.id, b.id))
    expect(rowB?.status).toBe('processing')
    expect(rowB?.jobId).not.toBe(b.jobId)
  })

  it('reports with a bad token or about an old job are refused or ignored', async () => {
    const creator = await makeUser()
    const { id, jobId } = await processingVideo(creator)
    const forged = await report(id, jobId, { type: 'completed', result: result() }, 'forged')
    expect(forged.status).toBe(401)
    const otherVideo = await processingVideo(creator)
    const crossed = await report(
      id,
      jobId,
      { type: 'completed', result: result() },
      await callbackToken(env, otherVideo.id, otherVideo.jobId),
    )
    expect(crossed.status).toBe(401)
    const old = await report(id, 'old-job', { type: 'completed', result: result() })
    expect(old.json).toEqual({ ignored: true })
    const [row] = await db().select().from(videos).where(eq(videos.id, id))
    expect(row?.status).toBe('processing')
  })
})

describe('playback', () => {
  async function withMedia(
    creator: TestUser,
    status: VideoStatus,
    visibility: 'public' | 'private' = 'public',
  ) {
    const id = await makeVideo(creator.id, { status, visibility })
    await db()
      .update(videos)
      .set({ media: JSON.stringify(result()) })
      .where(eq(videos.id, id))
    await env.MEDIA.put(
      `videos/${id}/hls/master.m3u8`,
      '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n480p/index.m3u8\n',
      {
        httpMetadata: { contentType: 'application/vnd.apple.mpegurl' },
      },
    )
    await env.MEDIA.put(
      `videos/${id}/hls/480p/seg_000.ts`,
      new Uint8Array(1000).map((_, i) => i % 256),
    )
    return id
  }

  it('serves published media to anyone with types, ranges, ETags and long caching', async () => {
    const creator = await makeUser()
    const id = await withMedia(creator, 'published')
    const seg = await fetchWorker(`/media/videos/${id}/hls/480p/seg_000.ts`)
    expect(seg.status).toBe(200)
    expect(seg.headers.get('Content-Type')).toBe('video/mp2t')
    expect(seg.headers.get('Cache-Control')).toMatch(/immutable/)
    const etag = seg.headers.get('ETag') ?? ''
    expect(etag).toBeTruthy()
    await seg.arrayBuffer()
    const ranged = await fetchWorker(`/media/videos/${id}/hls/480p/seg_000.ts`, {
      headers: { Range: 'bytes=100-199' },
    })
    expect(ranged.status).toBe(206)
    expect(ranged.headers.get('Content-Range')).toBe('bytes 100-199/1000')
    const part = new Uint8Array(await ranged.arrayBuffer())
    expect(part.length).toBe(100)
    expect(part[0]).toBe(100)
    const cached = await fetchWorker(`/media/videos/${id}/hls/480p/seg_000.ts`, {
      headers: { 'If-None-Match': etag },
    })
    expect(cached.status).toBe(304)
    const playlist = await fetchWorker(`/media/videos/${id}/hls/master.m3u8`)
    expect(playlist.headers.get('Content-Type')).toBe('application/vnd.apple.mpegurl')
    // The admin dashboard (another origin) may embed media; other sites get no CORS grant.
    const fromAdmin = await fetchWorker(`/media/videos/${id}/hls/master.m3u8`, {
      headers: { Origin: env.ADMIN_ORIGIN },
    })
    expect(fromAdmin.headers.get('Access-Control-Allow-Origin')).toBe(env.ADMIN_ORIGIN)
    expect(fromAdmin.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin')
    const fromElsewhere = await fetchWorker(`/media/videos/${id}/hls/master.m3u8`, {
      headers: { Origin: 'https://evil.example' },
    })
    expect(fromElsewhere.headers.get('Access-Control-Allow-Origin')).toBeNull()
    const api = await fetchWorker('/api/health/live')
    expect(api.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin')
  })

  it("a rejected video's media is refused to a cookie-less request, even with a signed grant", async () => {
    const creator = await makeUser()
    const id = await withMedia(creator, 'rejected')
    // A prefix grant as the playback route used to mint for the owner.
    const grant = await signedQuery(env.SIGNING_SECRET, {
      method: 'GET',
      resource: `media/${id}/`,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      prefix: true,
    })
    const res = await fetchWorker(`/media/videos/${id}/hls/master.m3u8?${grant}`)
    expect(res.status).toBe(404)
    // A banned owner's remaining session does not open it either.
    await db().update(users).set({ banned: true }).where(eq(users.id, creator.id))
    const banned = await fetchWorker(`/media/videos/${id}/hls/master.m3u8`, {
      headers: { Cookie: creator.cookie },
    })
    expect(banned.status).toBe(404)
  })

  it("unpublished media: only with the owner's or a moderator's session, never a bare link", async () => {
    const creator = await makeUser()
    const stranger = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    for (const status of ['processing', 'moderating', 'in_review', 'rejected', 'failed'] as const) {
      const id = await withMedia(creator, status)
      const path = `/media/videos/${id}/hls/master.m3u8`
      expect((await fetchWorker(path)).status, status).toBe(404)
      expect((await fetchWorker(path, { headers: { Cookie: stranger.cookie } })).status).toBe(404)
      const own = await fetchWorker(path, { headers: { Cookie: creator.cookie } })
      expect(own.status).toBe(200)
      expect(own.headers.get('Cache-Control')).toBe('private, no-store')
      expect((await fetchWorker(path, { headers: { Cookie: mod.cookie } })).status).toBe(200)
      // The playback route hands out plain links: without a session that may
      // see the video they answer 404 (there is no link that works for anyone).
      const links = await call('GET', `/api/videos/${id}/playback`, { user: mod })
      expect(links.json.playlistUrl).toBe(path)
      expect((await fetchWorker(links.json.playlistUrl)).status).toBe(404)
      const segment = `/media/videos/${id}/hls/480p/seg_000.ts`
      expect((await fetchWorker(segment)).status).toBe(404)
      const modSegment = await fetchWorker(segment, { headers: { Cookie: mod.cookie } })
      expect(modSegment.status).toBe(200)
      await modSegment.arrayBuffer()
      expect((await call('GET', `/api/videos/${id}/playback`, { user: stranger })).status).toBe(404)
    }
    const removed = await withMedia(creator, 'removed')
    expect(
      (
        await fetchWorker(`/media/videos/${removed}/hls/master.m3u8`, {
          headers: { Cookie: creator.cookie },
        })
      ).status,
    ).toBe(404)
    const privateOne = await withMedia(creator, 'published', 'private')
    expect((await fetchWorker(`/media/videos/${privateOne}/hls/master.m3u8`)).status).toBe(404)
    expect((await fetchWorker(`/media/videos/${privateOne}/poster.jpg/../../x.ts`)).status).toBe(
      404,
    )
  })
})
