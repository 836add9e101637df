import { afterAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { stopServices } from '../../scripts/lib.mjs'
import { startTranscoder } from '../../scripts/platform.mjs'
import { base, makeClip, Session, upload, waitForStatus } from './client'

// Until a moderation decision exists for every path, "decided" is any of the
// outcomes a creator can see at the end of the pipeline.
const DECIDED = ['published', 'in_review', 'rejected', 'failed']
const decided = (s: string) => DECIDED.includes(s)

async function playlistOf(session: Session, videoId: string) {
  const playback = await session.request('GET', `/api/videos/${videoId}/playback`)
  expect(playback.status).toBe(200)
  const master = await fetch(`${base()}${playback.json.playlistUrl}`)
  expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl')
  return { text: await master.text(), playback: playback.json }
}

afterAll(() => stopServices())

describe('upload -> transcode -> moderation, on the real platform', () => {
  it('a landscape clip with sound is transcoded to HLS, moderated and published', async () => {
    const creator = await Session.signUp()
    const { videoId, complete } = await upload(
      creator,
      makeClip('landscape', { seconds: 3, size: '640x360' }),
    )
    expect(complete.json.video.status).toBe('processing')
    const { video, seen } = await waitForStatus(creator, videoId, decided)
    // The local default (frame classifier + text classifier) publishes a
    // harmless test pattern.
    expect(video.status).toBe('published')
    expect(seen[0]).toBe('processing')
    expect(seen).toContain(video.status)
    expect(video.width).toBe(640)
    expect(video.height).toBe(360)
    expect(video.durationSeconds).toBeGreaterThan(2.5)
    expect(video.durationSeconds).toBeLessThan(3.5)
    const { text, playback } = await playlistOf(creator, videoId)
    expect(text).toMatch(/^#EXTM3U/)
    // Only rungs up to the source height: 240p and 360p-capped 480p are absent above 360.
    expect(text).toMatch(/RESOLUTION=\d+x240/)
    expect(text).not.toMatch(/x720/)
    const variant = text.split('\n').find((l) => l && !l.startsWith('#'))
    expect(variant).toBeTruthy()
    const variantUrl = new URL(variant ?? '', `${base()}${playback.playlistUrl}`)
    const variantText = await (await fetch(variantUrl)).text()
    const segment = variantText.split('\n').find((l) => l && !l.startsWith('#'))
    const segmentRes = await fetch(new URL(segment ?? '', variantUrl))
    expect(segmentRes.status).toBe(200)
    expect(segmentRes.headers.get('content-type')).toBe('video/mp2t')
    const poster = await fetch(`${base()}${playback.posterUrl}`)
    expect(poster.headers.get('content-type')).toBe('image/jpeg')
    // Strangers cannot play it unless it was published.
    const stranger = await fetch(`${base()}/media/videos/${videoId}/hls/master.m3u8`)
    expect(stranger.status).toBe(video.status === 'published' ? 200 : 404)
  })

  it('a vertical silent clip keeps its orientation', async () => {
    const creator = await Session.signUp()
    const { videoId } = await upload(
      creator,
      makeClip('vertical', { seconds: 2, size: '360x640', audio: false }),
    )
    const { video } = await waitForStatus(creator, videoId, decided)
    expect(video.status).toBe('published')
    expect(video.height).toBeGreaterThan(video.width)
  })

  it('a truncated upload ends failed with a reason a creator can read', async () => {
    const creator = await Session.signUp()
    const whole = makeClip('truncated', { seconds: 4, size: '640x360' })
    const { videoId } = await upload(creator, whole.subarray(0, Math.floor(whole.byteLength * 0.6)))
    const { video } = await waitForStatus(creator, videoId, decided)
    expect(video.status).toBe('failed')
    expect(video.statusReason).toMatch(/[a-z]{3,}/)
    expect(video.statusReason).not.toMatch(/ffmpeg|Error:|stack/i)
  })

  it('killing the transcoder mid-job ends in a finished video after restart, not a stuck one', async () => {
    const creator = await Session.signUp()
    const { videoId } = await upload(creator, makeClip('long', { seconds: 20, size: '1280x720' }))
    await waitForStatus(creator, videoId, (s) => s === 'processing')
    // Wait until the transcoder has really started on it.
    const started = Date.now()
    while (Date.now() - started < 60_000) {
      const res = await creator.request('GET', `/api/videos/${videoId}`)
      if (res.json.video.progress > 0) break
      await new Promise((r) => setTimeout(r, 200))
    }
    process.kill(-inject('transcoderPid'), 'SIGKILL')
    const port = Number(new URL(inject('transcoderUrl')).port)
    startTranscoder({ port, quiet: process.env.E2E_VERBOSE !== '1' })
    // The sweeper (cron) notices the silent job and queues it again.
    const deadline = Date.now() + 150_000
    let status = 'processing'
    while (Date.now() < deadline && !decided(status)) {
      const sweep = await fetch(`${base()}/__scheduled?cron=${encodeURIComponent('*/5 * * * *')}`)
      if (process.env.E2E_VERBOSE === '1') console.log('sweep', sweep.status, await sweep.text())
      await new Promise((r) => setTimeout(r, 2000))
      status = (await creator.request('GET', `/api/videos/${videoId}`)).json.video.status
    }
    expect(status).not.toBe('processing')
    expect(status).not.toBe('failed')
  })
})
