// Cuts the pretrained vectors down to what ships inside the model: the most frequent plain words
// (the only tokens our normaliser produces), projected onto their top principal components and
// quantised to int8 with one scale per row. Deterministic. Training time only.
import type { Embedding } from './model'
import type { WordVectors } from './vectors'

export interface TableOptions {
  /** Words kept, most frequent first (GloVe's order). */
  words: number
  /** Principal components kept. */
  dims: number
}

/** Top `dims` eigenvectors of a symmetric matrix by power iteration with deflation. */
function topEigenvectors(cov: Float64Array, n: number, dims: number): Float64Array[] {
  const a = Float64Array.from(cov)
  const out: Float64Array[] = []
  for (let c = 0; c < dims; c++) {
    let v = new Float64Array(n).map((_, i) => 1 / Math.sqrt(n) + (i === c ? 0.5 : 0))
    let lambda = 0
    for (let iter = 0; iter < 500; iter++) {
      const next = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        let s = 0
        for (let j = 0; j < n; j++) s += (a[i * n + j] ?? 0) * (v[j] ?? 0)
        next[i] = s
      }
      const norm = Math.sqrt(next.reduce((s, x) => s + x * x, 0)) || 1
      for (let i = 0; i < n; i++) next[i] = (next[i] ?? 0) / norm
      let delta = 0
      for (let i = 0; i < n; i++) delta += Math.abs((next[i] ?? 0) - (v[i] ?? 0))
      v = next
      lambda = norm
      if (delta < 1e-10) break
    }
    // Fixed sign (largest component positive) so the table is the same on every run.
    let big = 0
    for (let i = 0; i < n; i++) if (Math.abs(v[i] ?? 0) > Math.abs(v[big] ?? 0)) big = i
    if ((v[big] ?? 0) < 0) v = v.map((x) => -x)
    out.push(v)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++)
        a[i * n + j] = (a[i * n + j] ?? 0) - lambda * (v[i] ?? 0) * (v[j] ?? 0)
    }
  }
  return out
}

export interface EmbeddingTable {
  vocabulary: string[]
  embedding: Embedding
}

export function buildEmbeddingTable(vectors: WordVectors, options: TableOptions): EmbeddingTable {
  const n = vectors.dims
  const picked: number[] = []
  for (let i = 0; i < vectors.words.length && picked.length < options.words; i++) {
    if (/^[a-z]+$/.test(vectors.words[i] ?? '')) picked.push(i)
  }
  const mean = new Float64Array(n)
  for (const r of picked)
    for (let d = 0; d < n; d++) mean[d] = (mean[d] ?? 0) + (vectors.vectors[r * n + d] ?? 0)
  for (let d = 0; d < n; d++) mean[d] = (mean[d] ?? 0) / picked.length
  const cov = new Float64Array(n * n)
  const x = new Float64Array(n)
  for (const r of picked) {
    for (let d = 0; d < n; d++) x[d] = (vectors.vectors[r * n + d] ?? 0) - (mean[d] ?? 0)
    for (let i = 0; i < n; i++) {
      const xi = x[i] ?? 0
      for (let j = i; j < n; j++) cov[i * n + j] = (cov[i * n + j] ?? 0) + xi * (x[j] ?? 0)
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = (cov[i * n + j] ?? 0) / picked.length
      cov[i * n + j] = v
      cov[j * n + i] = v
    }
  }
  const dims = Math.min(options.dims, n)
  const basis = dims === n ? null : topEigenvectors(cov, n, dims)

  const rows = picked.length + 1
  const table = new Int8Array(rows * dims)
  const scales = new Float32Array(rows)
  const projected = new Float64Array(dims)
  picked.forEach((r, at) => {
    const row = at + 1
    for (let c = 0; c < dims; c++) {
      if (basis === null) {
        projected[c] = vectors.vectors[r * n + c] ?? 0
        continue
      }
      const u = basis[c] ?? new Float64Array(n)
      let s = 0
      for (let d = 0; d < n; d++)
        s += ((vectors.vectors[r * n + d] ?? 0) - (mean[d] ?? 0)) * (u[d] ?? 0)
      projected[c] = s
    }
    let max = 0
    for (let c = 0; c < dims; c++) max = Math.max(max, Math.abs(projected[c] ?? 0))
    const scale = max > 0 ? max / 127 : 0
    scales[row] = scale
    for (let c = 0; c < dims; c++) {
      table[row * dims + c] = scale === 0 ? 0 : Math.round((projected[c] ?? 0) / scale)
    }
  })
  return {
    vocabulary: picked.map((r) => vectors.words[r] ?? ''),
    embedding: { rows, dims, table, scales },
  }
}
