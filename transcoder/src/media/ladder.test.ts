import { describe, expect, it } from 'vitest'
import { frameIntervalFor, planFrameTimes, planLadder, planOutputs } from './ladder'
import { sniffContainer } from './inspect'

const sizes = (width: number, height: number): Array<[string, number, number]> =>
  planLadder(width, height).map((rung) => [rung.name, rung.width, rung.height])

describe('planLadder', () => {
  it('gives a 1080p landscape source all three rungs', () => {
    expect(sizes(1920, 1080)).toEqual([
      ['240p', 426, 240],
      ['480p', 854, 480],
      ['720p', 1280, 720],
    ])
  })

  it('measures rungs on the short side, so vertical phone clips stay sharp', () => {
    expect(sizes(1080, 1920)).toEqual([
      ['240p', 240, 426],
      ['480p', 480, 854],
      ['720p', 720, 1280],
    ])
  })

  it('never upscales: only rungs up to the source', () => {
    expect(sizes(854, 480)).toEqual([
      ['240p', 428, 240],
      ['480p', 854, 480],
    ])
    expect(sizes(640, 360)).toEqual([['240p', 426, 240]])
  })

  it('gives a source below 240p one rung at its own (even) size', () => {
    expect(sizes(320, 180)).toEqual([['240p', 320, 180]])
    expect(sizes(175, 99)).toEqual([['240p', 174, 98]])
  })
})

describe('moderation frames', () => {
  it('takes one a second under 25 s and one per 5 s from 25 s', () => {
    expect(frameIntervalFor(24.9)).toBe(1)
    expect(frameIntervalFor(25)).toBe(5)
    expect(planFrameTimes(2)).toEqual([0, 1])
    expect(planFrameTimes(24.5)).toHaveLength(25)
    expect(planFrameTimes(25)).toEqual([0, 5, 10, 15, 20])
    expect(planFrameTimes(26)).toEqual([0, 5, 10, 15, 20, 25])
    expect(planFrameTimes(0.4)).toEqual([0])
  })

  it('keeps frames between 224 and 512 px on the short side', () => {
    const { stills } = planOutputs({
      width: 1920,
      height: 1080,
      durationSeconds: 30,
      frameRate: 30,
      hasAudio: true,
    })
    expect(Math.min(stills.frameWidth, stills.frameHeight)).toBeGreaterThanOrEqual(224)
    expect(Math.min(stills.frameWidth, stills.frameHeight)).toBeLessThanOrEqual(512)
    expect(stills.sprite).toMatchObject({
      intervalSeconds: 1,
      columns: 10,
      rows: 3,
      tileWidth: 160,
    })
  })
})

describe('sniffContainer', () => {
  const bytes = (text: string, offset = 0): Buffer =>
    Buffer.concat([Buffer.alloc(offset), Buffer.from(text, 'latin1'), Buffer.alloc(200)])

  it('recognises video containers by their bytes', () => {
    expect(sniffContainer(bytes('\0\0\0\x20ftypisom'))).toBe('mp4')
    expect(sniffContainer(bytes('\0\0\0\x14ftypqt  '))).toBe('mov')
    expect(sniffContainer(bytes('\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm'))).toBe('webm')
    expect(sniffContainer(bytes('RIFF\0\0\0\0AVI LIST'))).toBe('avi')
  })

  it('does not take images or text for video', () => {
    expect(sniffContainer(bytes('\x89PNG\r\n\x1a\n'))).toBeNull()
    expect(sniffContainer(bytes('hello, this is text'))).toBeNull()
  })
})
