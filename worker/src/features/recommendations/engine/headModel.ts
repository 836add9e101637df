// Neighbours for the head of the catalogue from EASE (Steck 2019): a linear item-to-item
// model fitted in closed form, B = I - P / diag(P) with P = (G + lambda I)^-1 and G the
// videos' co-engagement counts. Unlike the walk, it weighs a candidate against everything
// else the viewers of a video watched, so redundant neighbours do not pile up. The fit is
// dense and cubic, so it covers only the most engaged videos (a fixed number: its cost does
// not grow with the catalogue); the rest keep the walk's neighbours (similarity.ts).
// Measured on the validation splits of both real logs (bench/recs/README.md): NDCG@10
// 0.1721 -> 0.1806 on Last.fm and 0.1406 -> 0.1481 on MovieLens.

import { byScoreThenIndex, type Neighbour, type SparseMatrix } from './sparse'

export interface HeadModelOptions {
  // How many of the most engaged videos the fit covers: 8 MB and about 1 G multiply-adds
  // at 1,000. 1,000 scored as well as 1,500 on both logs' validation splits.
  items: number
  // Ridge on the diagonal; 200 was best or level on both validation splits (100/200/400).
  lambda: number
  // Videos with fewer engaged users never join the head.
  minUsers: number
}

export const defaultHeadModelOptions: HeadModelOptions = { items: 1000, lambda: 200, minUsers: 3 }

// Head row -> its neighbours (index rows, best first, scaled so the best is 1 like the
// walk's lists, so a user's seeds weigh alike wherever their lists come from).
export type HeadNeighbours = ReadonlyMap<number, Neighbour[]>

// In-place inverse of a symmetric positive definite n x n matrix (row-major) by Gauss-Jordan
// without pivoting, which is stable for SPD input. O(n^3).
export function invertSpd(a: Float64Array, n: number): void {
  for (let p = 0; p < n; p++) {
    const pivot = a.subarray(p * n, p * n + n)
    const inv = 1 / (pivot[p] ?? 1)
    for (let j = 0; j < n; j++) pivot[j] = (pivot[j] as number) * inv
    pivot[p] = inv
    for (let i = 0; i < n; i++) {
      if (i === p) continue
      const row = a.subarray(i * n, i * n + n)
      const f = row[p] as number
      if (f === 0) continue
      for (let j = 0; j < n; j++) row[j] = (row[j] as number) - f * (pivot[j] as number)
      row[p] = -f * inv
    }
  }
}

// EASE's closed form, in place: the Gram matrix G (n x n, row-major) becomes B, whose row i
// holds what seed i adds to each candidate j: -P[i][j] / P[j][j] with P = (G + lambda I)^-1,
// and 0 on the diagonal.
export function fitEase(g: Float64Array, n: number, lambda: number): void {
  for (let c = 0; c < n; c++) g[c * n + c] = (g[c * n + c] ?? 0) + lambda
  invertSpd(g, n)
  const diagonal = new Float64Array(n)
  for (let c = 0; c < n; c++) diagonal[c] = g[c * n + c] ?? 1
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      g[i * n + j] = i === j ? 0 : -(g[i * n + j] ?? 0) / (diagonal[j] ?? 1)
    }
  }
}

// The head: rows with the most engaged users (positive entries), ties by row number.
export function headRows(
  coEngagement: SparseMatrix,
  options: Partial<HeadModelOptions> = {},
): number[] {
  const engaged = new Int32Array(coEngagement.rowCount)
  for (let row = 0; row < coEngagement.rowCount; row++) {
    for (let i = coEngagement.rowStart[row] ?? 0; i < (coEngagement.rowStart[row + 1] ?? 0); i++) {
      if ((coEngagement.values[i] ?? 0) > 0) engaged[row] = (engaged[row] ?? 0) + 1
    }
  }
  return selectHead(engaged, options)
}

// The head from each row's count of engaged users (the co-engagement totals store them, so
// the head step need not hold the matrix).
export function selectHead(
  engagedUsers: ArrayLike<number>,
  options: Partial<HeadModelOptions> = {},
): number[] {
  const opts = { ...defaultHeadModelOptions, ...options }
  const counted: { row: number; users: number }[] = []
  for (let row = 0; row < engagedUsers.length; row++) {
    const users = engagedUsers[row] ?? 0
    if (users >= opts.minUsers) counted.push({ row, users })
  }
  counted.sort((a, b) => b.users - a.users || a.row - b.row)
  return counted.slice(0, Math.max(0, opts.items)).map((e) => e.row)
}

// coEngagement: items x users (any positive value counts as one engagement).
export function buildHeadNeighbours(
  coEngagement: SparseMatrix,
  k: number,
  options: Partial<HeadModelOptions> = {},
): Map<number, Neighbour[]> {
  const head = headRows(coEngagement, options)
  const users: number[] = []
  const columns: number[] = []
  head.forEach((row, c) => {
    for (let i = coEngagement.rowStart[row] ?? 0; i < (coEngagement.rowStart[row + 1] ?? 0); i++) {
      if ((coEngagement.values[i] ?? 0) > 0) {
        users.push(coEngagement.columns[i] ?? 0)
        columns.push(c)
      }
    }
  })
  return fitHeadNeighbours(head, coEngagement.columnCount, users, columns, k, options)
}

// EASE over the head's engagements, given as (user, head column) pairs in any order: G counts
// pairs, so the order changes nothing.
export function fitHeadNeighbours(
  head: number[],
  userCount: number,
  pairUsers: ArrayLike<number>,
  pairColumns: ArrayLike<number>,
  k: number,
  options: Partial<HeadModelOptions> = {},
): Map<number, Neighbour[]> {
  const opts = { ...defaultHeadModelOptions, ...options }
  const n = head.length
  const out = new Map<number, Neighbour[]>()
  if (n < 2) return out

  // Each user's head videos (counting sort by user), then G = X^T X.
  const perUser = new Int32Array(userCount + 1)
  for (let p = 0; p < pairUsers.length; p++) {
    const user = pairUsers[p] ?? 0
    perUser[user + 1] = (perUser[user + 1] ?? 0) + 1
  }
  for (let u = 0; u < userCount; u++) perUser[u + 1] = (perUser[u + 1] ?? 0) + (perUser[u] ?? 0)
  const items = new Int32Array(perUser[userCount] ?? 0)
  const fill = perUser.slice(0, userCount)
  for (let p = 0; p < pairUsers.length; p++) {
    const user = pairUsers[p] ?? 0
    items[fill[user] ?? 0] = pairColumns[p] ?? 0
    fill[user] = (fill[user] ?? 0) + 1
  }
  const g = new Float64Array(n * n)
  for (let u = 0; u < userCount; u++) {
    const start = perUser[u] ?? 0
    const end = perUser[u + 1] ?? 0
    for (let a = start; a < end; a++) {
      const base = (items[a] ?? 0) * n
      for (let b = start; b < end; b++)
        g[base + (items[b] ?? 0)] = (g[base + (items[b] ?? 0)] ?? 0) + 1
    }
  }
  fitEase(g, n, opts.lambda)

  // Only positive weights are kept: a list says what to show, not what to hold back.
  for (let i = 0; i < n; i++) {
    const list: Neighbour[] = []
    for (let j = 0; j < n; j++) {
      const weight = g[i * n + j] ?? 0
      if (weight > 0) list.push({ index: head[j] ?? 0, score: weight })
    }
    list.sort(byScoreThenIndex)
    const top = list.slice(0, k)
    const best = top[0]?.score ?? 0
    if (best > 0) {
      out.set(
        head[i] ?? 0,
        top.map((e) => ({ index: e.index, score: e.score / best })),
      )
    }
  }
  return out
}

// Binary form for R2: Int32 [count, total], rows (count), offsets (count + 1), neighbour
// rows (total), then Float32 scores (total).
export function encodeHeadNeighbours(head: HeadNeighbours): Uint8Array {
  const rows = [...head.keys()].sort((a, b) => a - b)
  const total = rows.reduce((sum, row) => sum + (head.get(row)?.length ?? 0), 0)
  const ints = 2 + rows.length + rows.length + 1 + total
  const bytes = new Uint8Array(4 * ints + 4 * total)
  const view = new Int32Array(bytes.buffer, 0, ints)
  const scores = new Float32Array(bytes.buffer, 4 * ints, total)
  view[0] = rows.length
  view[1] = total
  let at = 0
  rows.forEach((row, i) => {
    view[2 + i] = row
    view[2 + rows.length + i] = at
    for (const n of head.get(row) ?? []) {
      view[2 + 2 * rows.length + 1 + at] = n.index
      scores[at] = n.score
      at++
    }
  })
  view[2 + 2 * rows.length] = at
  return bytes
}

export function decodeHeadNeighbours(input: Uint8Array): Map<number, Neighbour[]> {
  const bytes = input.byteOffset % 4 === 0 ? input : input.slice()
  const header = new Int32Array(bytes.buffer, bytes.byteOffset, 2)
  const [count = 0, total = 0] = header
  const ints = 2 + 2 * count + 1 + total
  if (count < 0 || total < 0 || bytes.byteLength !== 4 * ints + 4 * total) {
    throw new Error(`not a head neighbour object (${bytes.byteLength} bytes)`)
  }
  const view = new Int32Array(bytes.buffer, bytes.byteOffset, ints)
  const scores = new Float32Array(bytes.buffer, bytes.byteOffset + 4 * ints, total)
  const out = new Map<number, Neighbour[]>()
  for (let i = 0; i < count; i++) {
    const start = view[2 + count + i] ?? 0
    const end = view[2 + count + i + 1] ?? 0
    const list: Neighbour[] = []
    for (let at = start; at < end; at++) {
      list.push({ index: view[2 + 2 * count + 1 + at] ?? 0, score: scores[at] ?? 0 })
    }
    out.set(view[2 + i] ?? 0, list)
  }
  return out
}
