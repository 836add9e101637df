import { z } from 'zod'
import { ApiError } from './errors'
import { base64Url, fromBase64Url } from './ids'

// Keyset cursors: the sort key of the last row, opaque to clients. No OFFSET,
// so deep pages cost the same as the first.
export type Cursor = { at: number; id: string }

export function encodeCursor(cursor: Cursor): string {
  return base64Url(new TextEncoder().encode(`${cursor.at}:${cursor.id}`))
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (!text) return undefined
  try {
    const raw = new TextDecoder().decode(fromBase64Url(text))
    const sep = raw.indexOf(':')
    const at = Number(raw.slice(0, sep))
    const id = raw.slice(sep + 1)
    if (sep < 1 || !Number.isFinite(at) || !/^[\w-]{1,64}$/.test(id)) throw new Error('bad')
    return { at, id }
  } catch {
    throw new ApiError(400, 'invalid_cursor', 'The page cursor is not valid')
  }
}

export const pageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
})
