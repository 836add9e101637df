// Compressed sparse rows and the inverted-index top-K search shared by the content
// (item x term) and co-engagement (item x user) similarities. Memory is O(non-zeros);
// no structure ever grows with items x items.

export interface SparseMatrix {
  rowCount: number
  columnCount: number
  // rowStart[r]..rowStart[r + 1] indexes `columns`/`values`; columns ascend within a row.
  rowStart: Int32Array
  columns: Int32Array
  values: Float32Array
}

export interface Neighbour {
  index: number
  score: number
}

// Builds a matrix from coordinate triplets, summing duplicates. Two counting sorts keep it
// linear in the number of triplets instead of n log n.
export function buildSparseMatrix(
  rowCount: number,
  columnCount: number,
  rows: ArrayLike<number>,
  columns: ArrayLike<number>,
  values: ArrayLike<number>,
): SparseMatrix {
  const n = rows.length
  const byColumn = countingOrder(columns, columnCount, identityOrder(n))
  const order = countingOrder(rows, rowCount, byColumn)
  const rowStart = new Int32Array(rowCount + 1)
  const outColumns = new Int32Array(n)
  const outValues = new Float32Array(n)
  let size = 0
  let previousRow = -1
  let previousColumn = -1
  for (let i = 0; i < n; i++) {
    const t = order[i] ?? 0
    const r = rows[t] ?? 0
    const c = columns[t] ?? 0
    const v = values[t] ?? 0
    if (r === previousRow && c === previousColumn) {
      outValues[size - 1] = (outValues[size - 1] ?? 0) + v
      continue
    }
    outColumns[size] = c
    outValues[size] = v
    size++
    rowStart[r + 1] = (rowStart[r + 1] ?? 0) + 1
    previousRow = r
    previousColumn = c
  }
  for (let r = 0; r < rowCount; r++) rowStart[r + 1] = (rowStart[r + 1] ?? 0) + (rowStart[r] ?? 0)
  return {
    rowCount,
    columnCount,
    rowStart,
    columns: outColumns.slice(0, size),
    values: outValues.slice(0, size),
  }
}

function identityOrder(n: number): Int32Array {
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  return order
}

// Stable counting sort of `order` by key.
function countingOrder(keys: ArrayLike<number>, keyCount: number, order: Int32Array): Int32Array {
  const counts = new Int32Array(keyCount + 1)
  for (let i = 0; i < order.length; i++) {
    const k = keys[order[i] ?? 0] ?? 0
    counts[k + 1] = (counts[k + 1] ?? 0) + 1
  }
  for (let k = 0; k < keyCount; k++) counts[k + 1] = (counts[k + 1] ?? 0) + (counts[k] ?? 0)
  const out = new Int32Array(order.length)
  for (let i = 0; i < order.length; i++) {
    const t = order[i] ?? 0
    const k = keys[t] ?? 0
    const at = counts[k] ?? 0
    out[at] = t
    counts[k] = at + 1
  }
  return out
}

export function transpose(m: SparseMatrix): SparseMatrix {
  const rowStart = new Int32Array(m.columnCount + 1)
  for (let i = 0; i < m.columns.length; i++) {
    const c = m.columns[i] ?? 0
    rowStart[c + 1] = (rowStart[c + 1] ?? 0) + 1
  }
  for (let c = 0; c < m.columnCount; c++)
    rowStart[c + 1] = (rowStart[c + 1] ?? 0) + (rowStart[c] ?? 0)
  const cursor = rowStart.slice(0, m.columnCount)
  const columns = new Int32Array(m.columns.length)
  const values = new Float32Array(m.columns.length)
  for (let r = 0; r < m.rowCount; r++) {
    for (let i = m.rowStart[r] ?? 0; i < (m.rowStart[r + 1] ?? 0); i++) {
      const c = m.columns[i] ?? 0
      const at = cursor[c] ?? 0
      columns[at] = r
      values[at] = m.values[i] ?? 0
      cursor[c] = at + 1
    }
  }
  return { rowCount: m.columnCount, columnCount: m.rowCount, rowStart, columns, values }
}

export function normaliseRows(m: SparseMatrix): SparseMatrix {
  const values = new Float32Array(m.values.length)
  for (let r = 0; r < m.rowCount; r++) {
    const start = m.rowStart[r] ?? 0
    const end = m.rowStart[r + 1] ?? 0
    let sum = 0
    for (let i = start; i < end; i++) sum += (m.values[i] ?? 0) ** 2
    const norm = Math.sqrt(sum)
    for (let i = start; i < end; i++) values[i] = norm > 0 ? (m.values[i] ?? 0) / norm : 0
  }
  return { ...m, values }
}

export function rowLength(m: SparseMatrix, r: number): number {
  return (m.rowStart[r + 1] ?? 0) - (m.rowStart[r] ?? 0)
}

// Keeps the `limit` largest entries of every row (columns stay ascending). Used to bound
// posting lists and very long user histories so the search cost per item is fixed.
export function keepLargestPerRow(m: SparseMatrix, limit: number): SparseMatrix {
  let scratch = new Float64Array(0)
  let total = 0
  for (let r = 0; r < m.rowCount; r++) total += Math.min(limit, rowLength(m, r))
  if (total === m.columns.length) return m
  const rowStart = new Int32Array(m.rowCount + 1)
  const columns = new Int32Array(total)
  const values = new Float32Array(total)
  let size = 0
  for (let r = 0; r < m.rowCount; r++) {
    const start = m.rowStart[r] ?? 0
    const end = m.rowStart[r + 1] ?? 0
    if (end - start <= limit) {
      // A row within the limit is kept whole: copied as a block, no index list per row (a
      // neighbour batch caps its part's postings this way, most rows short).
      columns.set(m.columns.subarray(start, end), size)
      values.set(m.values.subarray(start, end), size)
      size += end - start
      rowStart[r + 1] = size
      continue
    }
    // The `limit` largest, ties to the lower index, in their order: what sorting the row by
    // (value desc, index asc) and keeping the first `limit` gives, in linear time (a neighbour
    // batch caps the columns of its users, and the long ones recur in many batches).
    if (limit <= 0) {
      rowStart[r + 1] = size
      continue
    }
    if (scratch.length < end - start) scratch = new Float64Array(end - start)
    const row = scratch.subarray(0, end - start)
    row.set(m.values.subarray(start, end))
    const threshold = selectAscending(row, end - start - limit)
    let above = 0
    for (let i = start; i < end; i++) if ((m.values[i] ?? 0) > threshold) above++
    let equal = limit - above
    for (let i = start; i < end; i++) {
      const value = m.values[i] ?? 0
      if (value > threshold || (value === threshold && equal-- > 0)) {
        columns[size] = m.columns[i] ?? 0
        values[size] = value
        size++
      }
    }
    rowStart[r + 1] = size
  }
  return { rowCount: m.rowCount, columnCount: m.columnCount, rowStart, columns, values }
}

// Exact dot product and number of shared columns of two rows (merge of sorted lists).
export function rowDot(
  a: SparseMatrix,
  ra: number,
  b: SparseMatrix,
  rb: number,
): { dot: number; shared: number } {
  let i = a.rowStart[ra] ?? 0
  const iEnd = a.rowStart[ra + 1] ?? 0
  let j = b.rowStart[rb] ?? 0
  const jEnd = b.rowStart[rb + 1] ?? 0
  let dot = 0
  let shared = 0
  while (i < iEnd && j < jEnd) {
    const ci = a.columns[i] ?? 0
    const cj = b.columns[j] ?? 0
    if (ci === cj) {
      dot += (a.values[i] ?? 0) * (b.values[j] ?? 0)
      shared++
      i++
      j++
    } else if (ci < cj) i++
    else j++
  }
  return { dot, shared }
}

export interface SimilarRowsOptions {
  k: number
  // Cosine x shared / (shared + shrinkage): damps similarities resting on few co-occurrences.
  shrinkage: number
  // Posting lists longer than this are cut to their largest weights; candidates are then
  // rescored exactly, so only recall (not the score) is approximate.
  maxPostingLength: number
  // Columns present in more than this share of rows generate no candidates (they still
  // count in exact scores): `label:ok` or a huge category says little about similarity.
  maxDocumentFrequency: number
  minScore: number
}

export const defaultSimilarRowsOptions: SimilarRowsOptions = {
  k: 50,
  shrinkage: 0,
  maxPostingLength: 400,
  maxDocumentFrequency: 0.5,
  minScore: 1e-6,
}

// Inverted index over an L2-normalised matrix, reusable across many batches.
export interface RowSearch {
  matrix: SparseMatrix
  postings: SparseMatrix
  // True when postings are complete, so accumulated scores are already exact.
  exact: boolean
  options: SimilarRowsOptions
  // Scratch accumulators, one slot per row, zeroed after each search. Float32 and Uint16
  // keep them at 6 bytes a row, inside a 1 MB L2 cache up to ~150k items; random writes
  // into them are most of a search's cost.
  scores: Float32Array
  shared: Uint16Array
  touched: Int32Array
  // Optional per-row factor on every candidate's score (RP3beta's popularity damping).
  targetWeights?: Float32Array
  // The searched row's columns as a bitset and their positions (`scatterRow`), so exact
  // scores against many candidates cost each candidate's length, not a merge of both rows.
  rowMark: Uint32Array
  rowPosition: Int32Array
  // Scratch for the touched candidates' scores, grown as needed.
  candidateScores: Float64Array
}

// `wholeLongestColumn`: when `matrix` holds only part of a matrix (a neighbour batch's
// rows and their columns: batchCoEngagement.ts), the whole one's longest column, so the
// postings count as complete exactly when the whole matrix's would.
export function prepareRowSearch(
  matrix: SparseMatrix,
  options: Partial<SimilarRowsOptions> = {},
  targetWeights?: Float32Array,
  wholeLongestColumn?: number,
  // `transpose(matrix)`, when the caller already holds it.
  byColumn?: SparseMatrix,
): RowSearch {
  const opts = { ...defaultSimilarRowsOptions, ...options }
  const full = byColumn ?? transpose(matrix)
  const maxDf = Math.max(1, Math.floor(opts.maxDocumentFrequency * matrix.rowCount))
  let exact =
    wholeLongestColumn === undefined ||
    ((wholeLongestColumn <= maxDf || matrix.rowCount <= 1) &&
      wholeLongestColumn <= opts.maxPostingLength)
  // Drop over-common columns from the candidate index, then cap the remaining lists.
  const rowStart = new Int32Array(full.rowCount + 1)
  let size = 0
  for (let c = 0; c < full.rowCount; c++) {
    const length = rowLength(full, c)
    if (length > maxDf && matrix.rowCount > 1) exact = false
    else size += length
    rowStart[c + 1] = size
  }
  let postings: SparseMatrix = full
  // Copied only when over-common columns are dropped (else the copy equals `full`).
  if (!exact && size < full.columns.length) {
    const columns = new Int32Array(size)
    const values = new Float32Array(size)
    let at = 0
    for (let c = 0; c < full.rowCount; c++) {
      if ((rowStart[c + 1] ?? 0) === (rowStart[c] ?? 0)) continue
      for (let i = full.rowStart[c] ?? 0; i < (full.rowStart[c + 1] ?? 0); i++) {
        columns[at] = full.columns[i] ?? 0
        values[at] = full.values[i] ?? 0
        at++
      }
    }
    postings = { ...full, rowStart, columns, values }
  }
  const capped = keepLargestPerRow(postings, opts.maxPostingLength)
  if (capped !== postings) exact = false
  return {
    matrix,
    postings: capped,
    exact,
    options: opts,
    scores: new Float32Array(matrix.rowCount),
    shared: new Uint16Array(matrix.rowCount),
    touched: new Int32Array(matrix.rowCount),
    ...(targetWeights ? { targetWeights } : {}),
    rowMark: new Uint32Array((matrix.columnCount >>> 5) + 1),
    rowPosition: new Int32Array(matrix.columnCount),
    candidateScores: new Float64Array(1024),
  }
}

// Marks `row`'s columns in the search's bitset for `scatteredDot`; `clearRow` undoes it.
export function scatterRow(search: RowSearch, row: number): void {
  const { matrix, rowMark, rowPosition } = search
  for (let i = matrix.rowStart[row] ?? 0; i < (matrix.rowStart[row + 1] ?? 0); i++) {
    const c = matrix.columns[i] ?? 0
    rowMark[c >>> 5] = (rowMark[c >>> 5] ?? 0) | (1 << (c & 31))
    rowPosition[c] = i
  }
}

export function clearRow(search: RowSearch, row: number): void {
  const { matrix, rowMark } = search
  for (let i = matrix.rowStart[row] ?? 0; i < (matrix.rowStart[row + 1] ?? 0); i++) {
    rowMark[(matrix.columns[i] ?? 0) >>> 5] = 0
  }
}

// `rowDot(matrix, row, matrix, other)` for the row `scatterRow` marked: the same products
// summed in the same order (shared columns ascending), so the same numbers bit for bit, at
// the cost of `other`'s length (a bit test each) instead of merging both rows.
export function scatteredDot(search: RowSearch, other: number): { dot: number; shared: number } {
  const { matrix, rowMark, rowPosition } = search
  const { columns, values } = matrix
  let dot = 0
  let shared = 0
  const end = matrix.rowStart[other + 1] ?? 0
  for (let j = matrix.rowStart[other] ?? 0; j < end; j++) {
    const c = columns[j] ?? 0
    if (((rowMark[c >>> 5] ?? 0) & (1 << (c & 31))) === 0) continue
    dot += (values[rowPosition[c] ?? 0] ?? 0) * (values[j] ?? 0)
    shared++
  }
  return { dot, shared }
}

// Top-K most similar rows for one row. Cost is the sum of the (capped) posting lengths
// of the row's columns, independent of the catalogue size.
export function similarRows(search: RowSearch, row: number): Neighbour[] {
  const { matrix, postings, options, scores, shared, touched, targetWeights } = search
  let touchedCount = 0
  for (let i = matrix.rowStart[row] ?? 0; i < (matrix.rowStart[row + 1] ?? 0); i++) {
    const column = matrix.columns[i] ?? 0
    const weight = matrix.values[i] ?? 0
    for (let p = postings.rowStart[column] ?? 0; p < (postings.rowStart[column + 1] ?? 0); p++) {
      const other = postings.columns[p] ?? 0
      if (other === row) continue
      if ((shared[other] ?? 0) === 0) touched[touchedCount++] = other
      scores[other] = (scores[other] ?? 0) + weight * (postings.values[p] ?? 0)
      shared[other] = (shared[other] ?? 0) + 1
    }
  }
  const shrink = (score: number, count: number): number =>
    options.shrinkage > 0 ? (score * count) / (count + options.shrinkage) : score
  const weigh = (other: number, score: number): number =>
    targetWeights ? score * (targetWeights[other] ?? 1) : score
  // Exact scores need only the final K; approximate ones get a wider pool for rescoring
  // (twice K: measured on the bench's 100k catalogue, a wider pool changed few lists and
  // cost more than the accumulation itself).
  const pool = search.exact ? options.k : options.k * 2
  if (search.candidateScores.length < touchedCount) {
    search.candidateScores = new Float64Array(
      Math.max(touchedCount, 2 * search.candidateScores.length),
    )
  }
  const candidateScores = search.candidateScores
  for (let t = 0; t < touchedCount; t++) {
    const other = touched[t] ?? 0
    candidateScores[t] = weigh(other, shrink(scores[other] ?? 0, shared[other] ?? 0))
    scores[other] = 0
    shared[other] = 0
  }
  const result = bestOfTouched(touched, candidateScores, touchedCount, pool)
  if (!search.exact) {
    scatterRow(search, row)
    for (const n of result) {
      const exact = scatteredDot(search, n.index)
      n.score = weigh(n.index, shrink(exact.dot, exact.shared))
    }
    clearRow(search, row)
  }
  result.sort(byScoreThenIndex)
  const out: Neighbour[] = []
  for (const n of result) {
    if (out.length >= options.k) break
    if (n.score >= options.minScore) out.push(n)
  }
  return out
}

// The best `pool` of the first `count` touched rows and their scores by (score desc, index
// asc), in no particular order: the `pool`-th largest score is selected in linear time (a row
// of a large catalogue touches thousands of candidates), then everything above it and, of
// the scores equal to it, the lowest indices. `scores` is reordered only past `count`.
function bestOfTouched(
  touched: Int32Array,
  scores: Float64Array,
  count: number,
  pool: number,
): Neighbour[] {
  const out: Neighbour[] = []
  if (pool <= 0) return out
  if (count <= pool) {
    for (let t = 0; t < count; t++) out.push({ index: touched[t] ?? 0, score: scores[t] ?? 0 })
    return out
  }
  const threshold = selectAscending(scores.slice(0, count), count - pool)
  const ties: number[] = []
  for (let t = 0; t < count; t++) {
    const score = scores[t] ?? 0
    if (score > threshold) out.push({ index: touched[t] ?? 0, score })
    else if (score === threshold) ties.push(t)
  }
  ties.sort((a, b) => (touched[a] ?? 0) - (touched[b] ?? 0))
  for (let k = 0; out.length < pool && k < ties.length; k++) {
    const t = ties[k] ?? 0
    out.push({ index: touched[t] ?? 0, score: scores[t] ?? 0 })
  }
  return out
}

export function byScoreThenIndex(a: Neighbour, b: Neighbour): number {
  return b.score - a.score || a.index - b.index
}

// The value at position `k` of `values` sorted ascending (it reorders `values`): a
// quickselect with three-way partitions, so runs of equal values (candidates from category
// lists all have similarity 0) cost no more than distinct ones. For finite values.
export function selectAscending(values: Float64Array, k: number): number {
  let lo = 0
  let hi = values.length - 1
  const swap = (a: number, b: number): void => {
    const t = values[a] ?? 0
    values[a] = values[b] ?? 0
    values[b] = t
  }
  while (lo < hi) {
    const a = values[lo] ?? 0
    const b = values[(lo + hi) >>> 1] ?? 0
    const c = values[hi] ?? 0
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b
    let lt = lo
    let i = lo
    let gt = hi
    while (i <= gt) {
      const v = values[i] ?? 0
      if (v < pivot) swap(lt++, i++)
      else if (v > pivot) swap(i, gt--)
      else i++
    }
    if (k < lt) hi = lt - 1
    else if (k > gt) lo = gt + 1
    else return pivot
  }
  return values[k] ?? 0
}
