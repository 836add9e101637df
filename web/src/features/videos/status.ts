import type { VideoCard } from '../../api/types'

export type VideoStatus = NonNullable<VideoCard['status']>

// The pipeline's states in a creator's words.
export const STATUS_WORDS: Record<VideoStatus, string> = {
  uploading: 'Waiting for the upload to finish',
  processing: 'Processing the video',
  moderating: 'Checking it against the community guidelines',
  published: 'Published',
  in_review: 'In review by a moderator',
  rejected: 'Not published',
  failed: 'Processing failed',
  removed: 'Removed',
}

export const FINAL_STATUSES: ReadonlySet<VideoStatus> = new Set([
  'published',
  'in_review',
  'rejected',
  'failed',
  'removed',
])
