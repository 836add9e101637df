export const MAX_UPLOAD_BYTES = 500 * 1024 * 1024

const TYPE_BY_EXTENSION: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  avi: 'video/x-msvideo',
}
export const ACCEPTED_TYPES = new Set(Object.values(TYPE_BY_EXTENSION))
// The same list the server accepts (worker/src/features/uploads/limits.ts).
export const ACCEPTED_NAMES = 'MP4, MOV, WebM, MKV or AVI'
export const ACCEPT_ATTRIBUTE = [...ACCEPTED_TYPES, '.mkv', '.mov', '.avi'].join(',')

// Browsers leave `type` empty for some containers (MKV often); the extension
// then says what the file claims to be. The server sniffs the bytes anyway.
export function contentTypeOf(file: File): string {
  if (file.type) return file.type
  const ext = file.name.split('.').pop()?.toLowerCase() ?? ''
  return TYPE_BY_EXTENSION[ext] ?? ''
}

export function checkFile(file: File): string | null {
  if (file.size === 0) return 'This file is empty.'
  if (!ACCEPTED_TYPES.has(contentTypeOf(file))) {
    return `This file type is not supported. Upload an ${ACCEPTED_NAMES} video.`
  }
  if (file.size > MAX_UPLOAD_BYTES) {
    return `This file is ${Math.round(file.size / 1024 / 1024)} MB; videos can be at most 500 MB.`
  }
  return null
}
