import { describe, expect, it } from 'vitest'
import { parseJobRequest } from './contract'
import { abandonedWorkDirs } from './jobs/transcode'
import { contentTypeFor, outputUrlFor } from './jobs/transfer'

const valid = {
  jobId: 'job-1',
  videoId: 'v1',
  sourceUrl: 'https://r2.example/source?sig=1',
  outputUrl: 'https://r2.example/out/{path}?sig=2',
  callbackUrl: 'https://api.example/transcode/callback',
  callbackToken: 'secret',
}

describe('parseJobRequest', () => {
  it('accepts a job and defaults the duration limit to 180 s', () => {
    expect(parseJobRequest(valid)).toMatchObject({
      jobId: 'job-1',
      limits: { maxDurationSeconds: 180 },
    })
    expect(parseJobRequest({ ...valid, limits: { maxDurationSeconds: 60 } })).toMatchObject({
      limits: { maxDurationSeconds: 60 },
    })
  })

  it('lists every problem', () => {
    const parsed = parseJobRequest({
      ...valid,
      jobId: '',
      outputUrl: 'https://x/out',
      limits: { maxDurationSeconds: -1 },
    })
    expect(parsed).toEqual({
      problems: [
        'jobId: 1-128 of [A-Za-z0-9_.:-]',
        'outputUrl: must contain the literal {path}',
        'limits.maxDurationSeconds: > 0',
      ],
    })
    expect(parseJobRequest(null)).toEqual({ problems: ['body must be a JSON object'] })
  })
})

describe('output URLs', () => {
  it('substitutes the URL-encoded relative path', () => {
    expect(outputUrlFor(valid.outputUrl, 'hls/720p/seg_000.ts')).toBe(
      'https://r2.example/out/hls%2F720p%2Fseg_000.ts?sig=2',
    )
    expect(outputUrlFor('https://r2.example/out/%7Bpath%7D', 'poster.jpg')).toBe(
      'https://r2.example/out/poster.jpg',
    )
  })

  it('labels each file type for storage', () => {
    expect(contentTypeFor('hls/master.m3u8')).toBe('application/vnd.apple.mpegurl')
    expect(contentTypeFor('hls/240p/seg_001.ts')).toBe('video/mp2t')
    expect(contentTypeFor('frames/0001.jpg')).toBe('image/jpeg')
  })
})

describe('abandonedWorkDirs', () => {
  it('picks only job directories of processes that are gone', () => {
    const names = ['clipstream-job-100-a-XYZ', 'clipstream-job-200-b-XYZ', 'tsx-0', 'other']
    expect(abandonedWorkDirs(names, (pid) => pid === 200)).toEqual(['clipstream-job-100-a-XYZ'])
  })
})
