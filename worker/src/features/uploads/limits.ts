// Upload limits, enforced by the server and shown to creators in errors.
export const MAX_UPLOAD_BYTES = 500 * 1024 * 1024
// Up to this size a file goes in one PUT; above it, R2 multipart.
export const SINGLE_PUT_MAX_BYTES = 50 * 1024 * 1024
// R2 needs equal parts (except the last) of at least 5 MiB.
export const PART_SIZE_BYTES = 10 * 1024 * 1024
export const MAX_DURATION_SECONDS = 180
export const UPLOADS_PER_HOUR = 10
export const UPLOAD_URL_TTL_SECONDS = 60 * 60

export const ACCEPTED_TYPES = [
  'video/mp4',
  'video/quicktime',
  'video/webm',
  'video/x-matroska',
  'video/x-msvideo',
]
export const ACCEPTED_NAMES = 'MP4, MOV, WebM, MKV or AVI'

export const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`

// Recognises a video container by its first bytes, never by the file name.
export function sniffContainer(head: Uint8Array): 'mp4' | 'webm' | 'avi' | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.slice(from, to))
  if (head.length >= 12 && ['ftyp', 'moov', 'mdat', 'wide', 'free'].includes(ascii(4, 8)))
    return 'mp4'
  if (
    head.length >= 4 &&
    head[0] === 0x1a &&
    head[1] === 0x45 &&
    head[2] === 0xdf &&
    head[3] === 0xa3
  ) {
    return 'webm'
  }
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return 'avi'
  return null
}
