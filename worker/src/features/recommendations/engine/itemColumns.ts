// The catalogue's ids and the per-item facts ranking needs, as typed columns in one binary
// object (`recs/{version}/items.bin`, written by the catalogue step and read by the planning
// shards, the assembling step and user batches). The same facts as JSON parse into a string
// and two arrays per video plus a Map over every id (a cold user batch's sampled peak was
// 56-74 MB at 100k videos, most of it those); here they are views on the bytes read, and an
// id is found through an open-addressing hash in one Int32Array: ~45 bytes a video with
// 16-character ids, ~45 MB at 1M.

// What numbering rows by id needs; a Map<string, number> is one too (the in-memory paths).
export interface ItemRows {
  readonly size: number
  get(id: string): number | undefined
}

export function rowsOfIds(itemIds: string[]): Map<string, number> {
  return new Map(itemIds.map((id, r) => [id, r]))
}

export interface ItemIdTable extends ItemRows {
  idAt(row: number): string
  // The two rows' ids in the order `a < b` puts JS strings, without decoding them (byte
  // order; the same for the ASCII ids Clipstream makes).
  compare(a: number, b: number): number
}

export interface ItemColumns {
  ids: ItemIdTable
  // Distinct category lists; `categories[row]` and `parentCategories[row]` index them.
  sets: string[][]
  categories: Uint32Array
  parentCategories: Uint32Array
  createdAt: Float64Array
}

const MAGIC = 0x69746d31 // 'itm1'
const HEADER = 16
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function encodeItemColumns(facts: {
  itemIds: string[]
  categories: string[][]
  parentCategories: string[][]
  createdAt: number[]
}): Uint8Array {
  const n = facts.itemIds.length
  const sets: string[][] = []
  const setIndex = new Map<string, number>()
  const setOf = (list: string[]): number => {
    const key = list.join('\n')
    let found = setIndex.get(key)
    if (found === undefined) {
      found = sets.length
      setIndex.set(key, found)
      sets.push(list)
    }
    return found
  }
  // Written straight into the output: an array per id would cost ~100 bytes a video.
  let idLength = 0
  for (const id of facts.itemIds) idLength += utf8Length(id)
  const categories = new Uint32Array(n)
  const parentCategories = new Uint32Array(n)
  for (let r = 0; r < n; r++) {
    categories[r] = setOf(facts.categories[r] ?? [])
    parentCategories[r] = setOf(facts.parentCategories[r] ?? [])
  }
  // Sets are numbered while the columns are written, so their JSON comes after them.
  const setsBytes = encoder.encode(JSON.stringify(sets))
  const layout = columnLayout(n, idLength)
  const out = new Uint8Array(layout.end + setsBytes.byteLength)
  const view = new DataView(out.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, n, true)
  view.setUint32(8, idLength, true)
  view.setUint32(12, setsBytes.byteLength, true)
  new Float64Array(out.buffer, layout.createdAt, n).set(facts.createdAt)
  new Uint32Array(out.buffer, layout.categories, n).set(categories)
  new Uint32Array(out.buffer, layout.parentCategories, n).set(parentCategories)
  const offsets = new Uint32Array(out.buffer, layout.offsets, n + 1)
  let at = 0
  facts.itemIds.forEach((id, r) => {
    at += encoder.encodeInto(id, out.subarray(layout.ids + at, layout.end)).written
    offsets[r + 1] = at
  })
  out.set(setsBytes, layout.end)
  return out
}

function utf8Length(id: string): number {
  for (let i = 0; i < id.length; i++) {
    if (id.charCodeAt(i) > 0x7f) return encoder.encode(id).byteLength
  }
  return id.length
}

function columnLayout(n: number, idLength: number) {
  const createdAt = HEADER
  const categories = createdAt + n * 8
  const parentCategories = categories + n * 4
  const offsets = parentCategories + n * 4
  const ids = offsets + (n + 1) * 4
  return { createdAt, categories, parentCategories, offsets, ids, end: ids + idLength }
}

export function decodeItemColumns(bytes: Uint8Array): ItemColumns {
  // Views need the Float64 column 8-byte aligned: a fresh R2 read is, a slice otherwise.
  const source = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice()
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength)
  if (source.byteLength < HEADER || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not an item column file')
  }
  const n = view.getUint32(4, true)
  const idLength = view.getUint32(8, true)
  const setsLength = view.getUint32(12, true)
  const layout = columnLayout(n, idLength)
  const base = source.byteOffset
  const offsets = new Uint32Array(source.buffer, base + layout.offsets, n + 1)
  const idBytes = new Uint8Array(source.buffer, base + layout.ids, idLength)
  return {
    ids: itemIdTable(idBytes, offsets),
    sets: JSON.parse(
      decoder.decode(new Uint8Array(source.buffer, base + layout.end, setsLength)),
    ) as string[][],
    categories: new Uint32Array(source.buffer, base + layout.categories, n),
    parentCategories: new Uint32Array(source.buffer, base + layout.parentCategories, n),
    createdAt: new Float64Array(source.buffer, base + layout.createdAt, n),
  }
}

// FNV-1a over the id's UTF-8 bytes; ASCII ids (every id Clipstream makes) hash straight from
// their char codes, without encoding the string.
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193)
  return h >>> 0
}

function itemIdTable(bytes: Uint8Array, offsets: Uint32Array): ItemIdTable {
  const n = offsets.length - 1
  let capacity = 16
  while (capacity < n * 2) capacity *= 2
  const mask = capacity - 1
  const slots = new Int32Array(capacity).fill(-1)
  for (let r = 0; r < n; r++) {
    let s = hashBytes(bytes, offsets[r] ?? 0, offsets[r + 1] ?? 0) & mask
    while ((slots[s] ?? -1) >= 0) s = (s + 1) & mask
    slots[s] = r
  }
  const find = (key: Uint8Array): number | undefined => {
    let s = hashBytes(key, 0, key.length) & mask
    for (let r = slots[s] ?? -1; r >= 0; r = slots[s] ?? -1) {
      const start = offsets[r] ?? 0
      if ((offsets[r + 1] ?? 0) - start === key.length) {
        let i = 0
        while (i < key.length && bytes[start + i] === key[i]) i++
        if (i === key.length) return r
      }
      s = (s + 1) & mask
    }
    return undefined
  }
  return {
    size: n,
    get(id) {
      let h = 0x811c9dc5
      for (let i = 0; i < id.length; i++) {
        const c = id.charCodeAt(i)
        if (c > 0x7f) return find(encoder.encode(id))
        h = Math.imul(h ^ c, 0x01000193)
      }
      let s = (h >>> 0) & mask
      for (let r = slots[s] ?? -1; r >= 0; r = slots[s] ?? -1) {
        const start = offsets[r] ?? 0
        if ((offsets[r + 1] ?? 0) - start === id.length) {
          let i = 0
          while (i < id.length && bytes[start + i] === id.charCodeAt(i)) i++
          if (i === id.length) return r
        }
        s = (s + 1) & mask
      }
      return undefined
    },
    compare(a, b) {
      const aStart = offsets[a] ?? 0
      const aEnd = offsets[a + 1] ?? 0
      const bStart = offsets[b] ?? 0
      const bEnd = offsets[b + 1] ?? 0
      for (let i = 0; aStart + i < aEnd && bStart + i < bEnd; i++) {
        const d = (bytes[aStart + i] ?? 0) - (bytes[bStart + i] ?? 0)
        if (d !== 0) return d < 0 ? -1 : 1
      }
      const d = aEnd - aStart - (bEnd - bStart)
      return d < 0 ? -1 : d > 0 ? 1 : 0
    },
    idAt(row) {
      if (row < 0 || row >= n) return ''
      return decoder.decode(bytes.subarray(offsets[row] ?? 0, offsets[row + 1] ?? 0))
    },
  }
}
