import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { expect } from 'vitest'
import type { JobResult } from '../src/contract'
import { parseMediaPlaylist } from '../src/media/renditions'
import type { Harness } from './harness'
import { probeJson } from './media'

// Everything a player and the Worker rely on, checked on the uploaded bytes with ffprobe.
export async function checkLadder(
  harness: Harness,
  jobId: string,
  result: JobResult,
): Promise<string> {
  const dir = await harness.materialise(jobId)
  const stored = harness.receiver.objects.get(jobId) ?? new Map()
  const master = stored.get('hls/master.m3u8')
  expect(master?.contentType).toBe('application/vnd.apple.mpegurl')
  // The master playlist goes up last: its presence means the ladder is complete.
  const lastOrder = Math.max(...[...stored.values()].map((object) => object.order))
  expect(master?.order).toBe(lastOrder)
  expect(result.bytes).toBe([...stored.values()].reduce((sum, o) => sum + o.body.length, 0))

  const masterText = await readFile(path.join(dir, result.master), 'utf8')
  const variants = masterText.split('\n').filter((line) => line.startsWith('#EXT-X-STREAM-INF:'))
  expect(variants).toHaveLength(result.renditions.length)
  for (const [i, rendition] of result.renditions.entries()) {
    const variant = variants[i] ?? ''
    expect(variant).toMatch(/BANDWIDTH=\d+/)
    expect(variant).toContain(`RESOLUTION=${rendition.width}x${rendition.height}`)
    expect(variant).toMatch(
      result.probe.hasAudio ? /CODECS="avc1\.64001f,mp4a\.40\.2"/ : /CODECS="avc1\.64001f"/,
    )
    expect(masterText).toContain(`\n${rendition.name}/index.m3u8\n`)

    const playlist = parseMediaPlaylist(await readFile(path.join(dir, rendition.playlist), 'utf8'))
    expect(playlist.ended).toBe(true)
    expect(playlist.segments).toHaveLength(rendition.segments)
    expect(rendition.segments).toBe(Math.ceil(result.probe.durationSeconds / 4 - 0.01))
    expect(Math.abs(rendition.durationSeconds - result.probe.durationSeconds)).toBeLessThan(0.5)
    for (const segment of playlist.segments) {
      expect(stored.get(`hls/${rendition.name}/${segment.uri}`)?.contentType).toBe('video/mp2t')
    }

    const probe = await probeJson(path.join(dir, rendition.playlist))
    expect(Math.abs(Number(probe.format.duration) - result.probe.durationSeconds)).toBeLessThan(0.5)
    const video = probe.streams.find((stream) => stream.codec_type === 'video')
    // What the master playlist's CODECS promises: High profile, level 3.1.
    expect(video).toMatchObject({
      codec_name: 'h264',
      profile: 'High',
      level: 31,
      width: rendition.width,
      height: rendition.height,
    })
    const audio = probe.streams.filter((stream) => stream.codec_type === 'audio')
    expect(audio.map((stream) => stream.codec_name)).toEqual(result.probe.hasAudio ? ['aac'] : [])
  }

  const sprite = await probeJson(path.join(dir, result.sprite.path))
  expect(sprite.streams[0]).toMatchObject({
    width: result.sprite.columns * result.sprite.tileWidth,
    height: result.sprite.rows * result.sprite.tileHeight,
  })
  expect(stored.get('poster.jpg')?.contentType).toBe('image/jpeg')
  return dir
}
