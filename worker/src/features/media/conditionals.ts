import { ApiError } from '../../lib/errors'

// HTTP conditionals and byte ranges for /media, evaluated here rather than by
// R2's header parsing (which throws on malformed values: a client's typo must
// be a 4xx, never a 500).

const ETAG_LIST = /^\s*(?:\*|(?:W\/)?"[^"]*"(?:\s*,\s*(?:W\/)?"[^"]*")*)\s*$/
const opaque = (tag: string) => tag.trim().replace(/^W\//, '')

function tagsOf(header: string): string[] | '*' {
  if (header.trim() === '*') return '*'
  return header.split(',').map((t) => t.trim())
}

export type Precondition = 'proceed' | 'not_modified'

// RFC 9110 section 13.2.2 order: If-Match first (strong comparison), then If-None-Match (weak).
export function checkPreconditions(headers: Headers, etag: string): Precondition {
  const ifMatch = headers.get('If-Match')
  if (ifMatch !== null) {
    if (!ETAG_LIST.test(ifMatch)) {
      throw new ApiError(412, 'precondition_failed', 'If-Match is not a list of entity tags')
    }
    const tags = tagsOf(ifMatch)
    const strong = (t: string) => !t.startsWith('W/') && t === etag
    if (tags !== '*' && !tags.some(strong)) {
      throw new ApiError(412, 'precondition_failed', 'The file does not match If-Match')
    }
  }
  const ifNoneMatch = headers.get('If-None-Match')
  if (ifNoneMatch !== null) {
    if (!ETAG_LIST.test(ifNoneMatch)) {
      throw new ApiError(400, 'bad_conditional', 'If-None-Match is not a list of entity tags')
    }
    const tags = tagsOf(ifNoneMatch)
    if (tags === '*' || tags.some((t) => opaque(t) === opaque(etag))) return 'not_modified'
  }
  return 'proceed'
}

export type ByteRange = { offset: number; length: number }

// One `bytes=` range (the players we serve never ask for several). A Range
// that cannot be parsed or satisfied gets 416 with the size, as RFC 9110 asks.
export function parseRange(header: string | null, size: number): ByteRange | null {
  if (header === null) return null
  const unsatisfiable = () =>
    new ApiError(416, 'range_not_satisfiable', `Ask for bytes within 0-${size - 1}`, { size })
  const match = /^\s*bytes=(\d*)-(\d*)\s*$/.exec(header)
  if (!match) throw unsatisfiable()
  const [, from = '', to = ''] = match
  if (!from && !to) throw unsatisfiable()
  if (!from) {
    // The last N bytes.
    const suffix = Number(to)
    if (suffix === 0 || size === 0) throw unsatisfiable()
    const length = Math.min(suffix, size)
    return { offset: size - length, length }
  }
  const start = Number(from)
  const end = to ? Math.min(Number(to), size - 1) : size - 1
  if (start >= size || (to && Number(to) < start)) throw unsatisfiable()
  return { offset: start, length: end - start + 1 }
}
