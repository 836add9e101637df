import type { Handler } from '@clipstream/frontend-kit/test/network'
import type { CreatorHistory, QueueComment, QueueVideo } from '../api/types'

export function queueVideo(id: string, title: string, overrides: Partial<QueueVideo> = {}) {
  const video: QueueVideo = {
    id,
    title,
    description: 'a description',
    status: 'in_review',
    statusReason: 'Frames look suggestive',
    createdAt: 1_700_000_000_000,
    statusChangedAt: 1_700_000_100_000,
    durationSeconds: 12,
    creator: { id: 'u1', username: 'maya' },
    posterUrl: `http://api.test/media/videos/${id}/poster.jpg?g=1`,
    playlistUrl: `http://api.test/media/videos/${id}/hls/master.m3u8?g=1`,
    frames: [
      { url: `http://api.test/f/${id}/0.jpg`, timeSeconds: 0, scores: { Porn: 0.01, Sexy: 0.05 } },
      { url: `http://api.test/f/${id}/5.jpg`, timeSeconds: 5, scores: { Porn: 0.7, Sexy: 0.2 } },
      { url: `http://api.test/f/${id}/10.jpg`, timeSeconds: 10, scores: null },
    ],
    decision: {
      source: 'machine',
      decision: 'in_review',
      scores: {
        gemini: { S: 0.62, V: 0.1 },
        geminiTimestamps: { S: [5, 6] },
        frames: {
          S: { min: 0.01, max: 0.7, mean: 0.3, median: 0.2, over90: 0, under10: 1 },
          suggestive: null,
        },
        text: { S: 0.04 },
        triggers: [{ signal: 'gemini', category: 'S', score: 0.62, level: 'review', at: 0.5 }],
      },
      explanation: 'Gemini: partial nudity around 0:05',
      model: 'gemini-2.5-flash',
      modelVersion: '1',
      policyVersion: 3,
      createdAt: 1_700_000_100_000,
    },
    appeal: null,
    ...overrides,
  }
  return video
}

export function queueComment(id: string, body: string): QueueComment {
  return {
    id,
    body,
    status: 'held',
    reason: 'Held for review: HR 0.71',
    scores: { HR: 0.71, H: 0.2, S: 0.01 },
    modelVersion: 'm1',
    createdAt: 1_700_000_000_000,
    author: { id: 'u2', username: 'sam' },
    video: { id: 'v1', title: 'Skate clip' },
    appeal: null,
  }
}

export const creatorHistory = (id: string, username: string): CreatorHistory => ({
  user: { id, username, role: 'user', banned: false, createdAt: 1_690_000_000_000 },
  videos: { published: 3, rejected: 1 },
  comments: { published: 10 },
  priorRejections: {
    videos: [{ id: 'old', title: 'Old clip', reason: 'Nudity', at: 1_695_000_000_000 }],
    comments: [],
  },
  reportsAgainstUser: 0,
})

export const unauthorised: Handler = () => ({
  status: 401,
  body: { error: { code: 'unauthorized', message: 'Log in first', requestId: 't' } },
})
