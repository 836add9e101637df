// Remembers which upload a file belongs to, so re-selecting the same file after
// a reload continues that upload instead of starting a new one.
const KEY = 'clipstream.uploads'
const MAX_AGE_MS = 24 * 60 * 60 * 1000

type Entry = { videoId: string; savedAt: number }

export const fingerprintOf = (file: File) => `${file.name}|${file.size}|${file.lastModified}`

function readAll(): Record<string, Entry> {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}')
    return typeof raw === 'object' && raw !== null ? (raw as Record<string, Entry>) : {}
  } catch {
    return {}
  }
}

function writeAll(entries: Record<string, Entry>) {
  try {
    localStorage.setItem(KEY, JSON.stringify(entries))
  } catch {
    // Private mode or a full quota: resuming after reload just will not work.
  }
}

export const resumeStore = {
  find(fingerprint: string, now = Date.now()): string | null {
    const entry = readAll()[fingerprint]
    return entry && now - entry.savedAt < MAX_AGE_MS ? entry.videoId : null
  },
  save(fingerprint: string, videoId: string, now = Date.now()) {
    writeAll({ ...readAll(), [fingerprint]: { videoId, savedAt: now } })
  },
  forget(fingerprint: string) {
    const entries = readAll()
    delete entries[fingerprint]
    writeAll(entries)
  },
}
