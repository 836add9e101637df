import { describe, expect, it } from 'vitest'
import { decodeItemColumns, encodeItemColumns } from './itemColumns'

function facts(itemIds: string[]) {
  return {
    itemIds,
    categories: itemIds.map((_, i) => (i % 3 === 0 ? ['music/rock'] : ['sport/run', 'comedy'])),
    parentCategories: itemIds.map((_, i) => (i % 3 === 0 ? ['music'] : ['sport', 'comedy'])),
    createdAt: itemIds.map((_, i) => 1_700_000_000_000 + i * 1234.5),
  }
}

describe('item columns (the catalogue step -> shards, assembly and user batches)', () => {
  it('gives back every id, row, category list and time through bytes', () => {
    // Clipstream's own ids, short ones, ids that differ in one character, and non-ASCII.
    const ids = [
      'v_8fJ2kLq0ZxYw3mN1',
      'a',
      'ab',
      'ba',
      'v1',
      'v10',
      'v100',
      'vidéo-été',
      '動画-1',
      '',
      ...Array.from({ length: 5000 }, (_, i) => `clip-${i}`),
    ]
    const input = facts(ids)
    const columns = decodeItemColumns(encodeItemColumns(input))
    expect(columns.ids.size).toBe(ids.length)
    ids.forEach((id, r) => {
      expect(columns.ids.get(id)).toBe(r)
      expect(columns.ids.idAt(r)).toBe(id)
      expect(columns.sets[columns.categories[r] ?? -1]).toEqual(input.categories[r])
      expect(columns.sets[columns.parentCategories[r] ?? -1]).toEqual(input.parentCategories[r])
      expect(columns.createdAt[r]).toBe(input.createdAt[r])
    })
    // Four distinct lists are stored once each, whatever the number of videos.
    expect(columns.sets).toHaveLength(4)
    for (const missing of ['clip-5000', 'clip-', 'v1000', 'vidéo', 'b', 'V1', ' a']) {
      expect(columns.ids.get(missing)).toBeUndefined()
    }
    // Ties in trending and category lists are broken in JS string order, on the bytes.
    const ascii = ids
      .map((id, r) => [id, r] as const)
      .filter(([id]) => [...id].every((c) => c.charCodeAt(0) < 0x80))
    const byBytes = ascii.map(([, r]) => r).sort((a, b) => columns.ids.compare(a, b))
    const byString = [...ascii].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r)
    expect(byBytes).toEqual(byString)
    expect(columns.ids.compare(4, 4)).toBe(0)
    expect(columns.ids.idAt(ids.length)).toBe('')
    expect(columns.ids.idAt(-1)).toBe('')
  })

  it('reads bytes that are not 8-byte aligned (a slice of a larger buffer)', () => {
    const bytes = encodeItemColumns(facts(['x', 'y', 'z']))
    const padded = new Uint8Array(bytes.byteLength + 3)
    padded.set(bytes, 3)
    const columns = decodeItemColumns(padded.subarray(3))
    expect(columns.ids.get('z')).toBe(2)
    expect(Array.from(columns.createdAt)).toEqual(facts(['x', 'y', 'z']).createdAt)
  })

  it('holds an empty catalogue, and refuses what is not an item column file', () => {
    const empty = decodeItemColumns(encodeItemColumns(facts([])))
    expect(empty.ids.size).toBe(0)
    expect(empty.ids.get('v1')).toBeUndefined()
    expect(() => decodeItemColumns(new TextEncoder().encode('{"itemIds":[]}'))).toThrow(
      'not an item column file',
    )
  })
})
