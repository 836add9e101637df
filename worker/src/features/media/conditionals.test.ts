import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { fetchWorker, makeUser, makeVideo } from '../../../test/helpers'

async function publishedSegment() {
  const creator = await makeUser()
  const id = await makeVideo(creator.id)
  const bytes = new Uint8Array(1000).map((_, i) => i % 256)
  await env.MEDIA.put(`videos/${id}/hls/480p/seg_000.ts`, bytes)
  return `/media/videos/${id}/hls/480p/seg_000.ts`
}

async function get(path: string, headers: Record<string, string>) {
  const res = await fetchWorker(path, { headers })
  const body = new Uint8Array(await res.arrayBuffer())
  return { status: res.status, headers: res.headers, body }
}

describe('/media: conditionals and ranges', () => {
  it('malformed If-None-Match / If-Match answer 4xx, never 500', async () => {
    const path = await publishedSegment()
    for (const value of ['"unterminated', 'no-quotes', '"a",,', 'W/', '\u0001']) {
      const inm = await get(path, { 'If-None-Match': value })
      expect(inm.status, `If-None-Match ${value}`).toBe(400)
      const im = await get(path, { 'If-Match': value })
      expect(im.status, `If-Match ${value}`).toBe(412)
    }
  })

  it('a failing If-Match gets 412; a matching one 200; If-None-Match 304', async () => {
    const path = await publishedSegment()
    const first = await get(path, {})
    const etag = first.headers.get('ETag') ?? ''
    expect((await get(path, { 'If-Match': '"something-else"' })).status).toBe(412)
    expect((await get(path, { 'If-Match': `"x", ${etag}` })).status).toBe(200)
    expect((await get(path, { 'If-None-Match': `W/${etag}` })).status).toBe(304)
    expect((await get(path, { 'If-None-Match': '"other"' })).status).toBe(200)
  })

  it('valid ranges get 206; invalid or unsatisfiable ones 416 with the size', async () => {
    const path = await publishedSegment()
    const part = await get(path, { Range: 'bytes=100-199' })
    expect(part.status).toBe(206)
    expect(part.headers.get('Content-Range')).toBe('bytes 100-199/1000')
    expect(part.body.length).toBe(100)
    expect(part.body[0]).toBe(100)
    const tail = await get(path, { Range: 'bytes=-10' })
    expect(tail.headers.get('Content-Range')).toBe('bytes 990-999/1000')
    const open = await get(path, { Range: 'bytes=995-' })
    expect(open.body.length).toBe(5)
    for (const value of [
      'bytes=2000-3000',
      'bytes=500-100',
      'bytes=abc',
      'items=0-1',
      'bytes=-0',
    ]) {
      const res = await get(path, { Range: value })
      expect(res.status, value).toBe(416)
      expect(res.headers.get('Content-Range')).toBe('bytes */1000')
    }
  })
})
