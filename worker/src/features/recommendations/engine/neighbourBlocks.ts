// Neighbour lists as the neighbour batches store them in R2, one block per batch, so that
// user batches read the lists of their seeds instead of computing them from the index.
// Computing was the user batches' cost: at 100k videos the lists (60 MB) outgrew the
// isolate's 48 MB cache and user batches spent 716 CPU s recomputing them
// (bench/recs/README.md). A block is small and self-describing:
//   Int32 header [format, start, end, total], Int32 offsets (rows + 1),
//   Int32 neighbour rows (total), Uint16 scores (total, 0..1 scaled by 65535).

import { scoredItems, type NeighbourEntries, type NeighbourLists } from './batches'
import type { ScoredItem } from './types'

const FORMAT = 1
const HEADER = 4

export interface NeighbourBlock {
  start: number
  end: number
  entries(row: number): NeighbourEntries | undefined
}

export function encodeNeighbourBlock(
  lists: Pick<NeighbourLists, 'entries'>,
  start: number,
  end: number,
): Uint8Array {
  const parts: NeighbourEntries[] = []
  for (let row = start; row < end; row++) {
    const e = lists.entries(row)
    parts.push({ rows: e.rows.slice(), scores: e.scores.slice() })
  }
  const total = parts.reduce((sum, p) => sum + p.rows.length, 0)
  const rowCount = end - start
  const bytes = new Uint8Array(4 * (HEADER + rowCount + 1 + total) + 2 * total)
  const ints = new Int32Array(bytes.buffer, 0, HEADER + rowCount + 1 + total)
  ints.set([FORMAT, start, end, total])
  const rows = ints.subarray(HEADER + rowCount + 1)
  const scores = new Uint16Array(bytes.buffer, 4 * (HEADER + rowCount + 1 + total), total)
  let at = 0
  parts.forEach((p, i) => {
    ints[HEADER + i] = at
    rows.set(p.rows, at)
    scores.set(p.scores, at)
    at += p.rows.length
  })
  ints[HEADER + rowCount] = at
  return bytes
}

export function decodeNeighbourBlock(input: Uint8Array): NeighbourBlock {
  // Typed-array views need 4-byte alignment; R2 hands out fresh buffers, tests may not.
  const bytes = input.byteOffset % 4 === 0 ? input : input.slice()
  const header = new Int32Array(bytes.buffer, bytes.byteOffset, HEADER)
  const [format, start = 0, end = 0, total = 0] = header
  const rowCount = end - start
  if (format !== FORMAT || rowCount < 0 || total < 0) {
    throw new Error(`not a neighbour block (format ${format})`)
  }
  const expected = 4 * (HEADER + rowCount + 1 + total) + 2 * total
  if (bytes.byteLength !== expected) {
    throw new Error(`neighbour block of ${bytes.byteLength} bytes, expected ${expected}`)
  }
  const offsets = new Int32Array(bytes.buffer, bytes.byteOffset + 4 * HEADER, rowCount + 1)
  const rows = new Int32Array(bytes.buffer, bytes.byteOffset + 4 * (HEADER + rowCount + 1), total)
  const scores = new Uint16Array(
    bytes.buffer,
    bytes.byteOffset + 4 * (HEADER + rowCount + 1 + total),
    total,
  )
  return {
    start,
    end,
    entries(row) {
      if (row < start || row >= end) return undefined
      const from = offsets[row - start] ?? 0
      const to = offsets[row - start + 1] ?? from
      return { rows: rows.subarray(from, to), scores: scores.subarray(from, to) }
    },
  }
}

// The rows each block supplies, by the block's start row, blocks in order: one pass over
// the rows, so a batch's cost does not grow with the number of blocks times its seeds.
export function rowsByBlock(rows: Iterable<number>, blockRows: number): Map<number, number[]> {
  const size = Math.max(1, Math.floor(blockRows))
  const byStart = new Map<number, number[]>()
  for (const row of rows) {
    const start = Math.floor(row / size) * size
    const list = byStart.get(start)
    if (list) list.push(row)
    else byStart.set(start, [row])
  }
  return new Map([...byStart].sort((a, b) => a[0] - b[0]))
}

// The lists one user batch needs, copied out of the blocks it read (each block is dropped
// as soon as its rows are copied, so memory follows the batch's seeds, not the catalogue).
export interface StoredNeighbourLists {
  add(block: NeighbourBlock, wanted: Iterable<number>): void
  // Built once per row and shared between calls: read, never modify.
  of(row: number): ScoredItem[]
  // Rows asked for that no block supplied (a neighbour batch that was lost).
  missing(): number
  size(): number
}

export function createStoredNeighbourLists(itemIds: string[]): StoredNeighbourLists {
  const lists = new Map<number, NeighbourEntries>()
  // A batch's users share seeds: each list is built once (read-only for callers).
  const built = new Map<number, ScoredItem[]>()
  let missing = 0
  return {
    add(block, wanted) {
      for (const row of wanted) {
        const e = block.entries(row)
        if (e) lists.set(row, { rows: e.rows.slice(), scores: e.scores.slice() })
      }
    },
    of(row) {
      const found = built.get(row)
      if (found) return found
      const e = lists.get(row)
      if (!e) {
        missing++
        return []
      }
      const items = scoredItems(itemIds, e)
      built.set(row, items)
      return items
    },
    missing: () => missing,
    size: () => lists.size,
  }
}
