import type { Handler } from '@clipstream/frontend-kit/test/network'
import type { VideoCard } from '../api/types'

export function videoCard(id: string, overrides: Partial<VideoCard> = {}): VideoCard {
  return {
    id,
    title: `Clip ${id}`,
    description: '',
    durationSeconds: 10,
    width: 720,
    height: 1280,
    visibility: 'public',
    counts: { views: 0, likes: 0, comments: 0 },
    createdAt: 1,
    publishedAt: 1,
    creator: {
      id: 'u1',
      username: 'maker',
      displayName: 'Maker',
      avatarUrl: null,
      verified: false,
    },
    categories: [],
    tags: [],
    likedByMe: false,
    posterUrl: `/media/videos/${id}/poster.jpg`,
    playlistUrl: `/media/videos/${id}/hls/master.m3u8`,
    status: undefined,
    statusReason: undefined,
    progress: undefined,
    ...overrides,
  }
}

// What /api/auth/session answers to a visitor who is not signed in.
export const signedOut: Handler = () => ({ body: { user: null } })
