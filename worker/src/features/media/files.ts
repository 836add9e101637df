// What the transcoder may write and how each file is served.
const TYPES: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  jpg: 'image/jpeg',
  json: 'application/json',
  vtt: 'text/vtt',
}

export function contentTypeFor(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  return TYPES[ext] ?? 'application/octet-stream'
}

// Relative paths like `hls/720p/seg_003.ts`: no traversal, no odd characters,
// only the file types above.
export function isSafeMediaPath(path: string): boolean {
  return (
    /^[a-zA-Z0-9_-][a-zA-Z0-9_.-]*(\/[a-zA-Z0-9_-][a-zA-Z0-9_.-]*)*$/.test(path) &&
    !path.split('/').some((p) => p === '..' || p === '.') &&
    contentTypeFor(path) !== 'application/octet-stream' &&
    path.length <= 200
  )
}
