// Word clusters from the pretrained vectors: the most frequent plain words grouped by spherical
// k-means, so that a word no labelled set contains ("vermin") shares a feature with the words of
// its cluster that the sets do contain ("rats", "cockroaches"). Only the clusters ship (as lists of
// words in the featuriser's config); the vectors never do. Deterministic. Training time only.
import type { WordVectors } from './vectors'

export interface ClusterOptions {
  /** Words clustered, most frequent first (GloVe's order), plain lower-case letters only. */
  words: number
  clusters: number
  iterations: number
}

// 300 clusters rather than 1,000 or 3,000: over the 5 public sources held out in turn (n-grams +
// clusters, 2026-12-01, before parts J-L) mean AP 0.580 / 0.576 / 0.578 (n-grams only 0.576).
// Coarser clusters pool more training words into each weight.
export const CLUSTERS: ClusterOptions = { words: 50_000, clusters: 300, iterations: 12 }

/** Unit-length copies of the picked words' vectors, row-major. */
function normalisedRows(vectors: WordVectors, picked: readonly number[]): Float32Array {
  const n = vectors.dims
  const out = new Float32Array(picked.length * n)
  picked.forEach((r, at) => {
    let norm = 0
    for (let d = 0; d < n; d++) norm += (vectors.vectors[r * n + d] ?? 0) ** 2
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0
    for (let d = 0; d < n; d++) out[at * n + d] = (vectors.vectors[r * n + d] ?? 0) * inv
  })
  return out
}

/**
 * Spherical k-means (cosine similarity). Centres start at words spread evenly over the frequency
 * order, so rare and common words both seed clusters and every run gives the same clusters.
 * Returns the clusters as word lists, each list in frequency order; empty clusters are dropped.
 */
export function clusterWords(
  vectors: WordVectors,
  options: ClusterOptions,
  log: (msg: string) => void = () => {},
): string[][] {
  const n = vectors.dims
  const picked: number[] = []
  for (let i = 0; i < vectors.words.length && picked.length < options.words; i++) {
    if (/^[a-z]+$/.test(vectors.words[i] ?? '')) picked.push(i)
  }
  const rows = normalisedRows(vectors, picked)
  const k = Math.min(options.clusters, picked.length)
  const centres = new Float32Array(k * n)
  for (let c = 0; c < k; c++) {
    const at = Math.floor((c * picked.length) / k)
    centres.set(rows.subarray(at * n, at * n + n), c * n)
  }
  const assignment = new Int32Array(picked.length).fill(-1)
  for (let iter = 0; iter < options.iterations; iter++) {
    let moved = 0
    for (let w = 0; w < picked.length; w++) {
      let best = 0
      let bestSim = -Infinity
      const base = w * n
      for (let c = 0; c < k; c++) {
        let s = 0
        const cb = c * n
        for (let d = 0; d < n; d++) s += (rows[base + d] ?? 0) * (centres[cb + d] ?? 0)
        if (s > bestSim) {
          bestSim = s
          best = c
        }
      }
      if (assignment[w] !== best) moved++
      assignment[w] = best
    }
    centres.fill(0)
    for (let w = 0; w < picked.length; w++) {
      const cb = (assignment[w] ?? 0) * n
      for (let d = 0; d < n; d++) centres[cb + d] = (centres[cb + d] ?? 0) + (rows[w * n + d] ?? 0)
    }
    for (let c = 0; c < k; c++) {
      let norm = 0
      for (let d = 0; d < n; d++) norm += (centres[c * n + d] ?? 0) ** 2
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0
      for (let d = 0; d < n; d++) centres[c * n + d] = (centres[c * n + d] ?? 0) * inv
    }
    log(`word clusters: pass ${iter + 1}, ${moved} words moved`)
    if (moved === 0) break
  }
  const clusters: string[][] = Array.from({ length: k }, () => [])
  picked.forEach((r, w) => clusters[assignment[w] ?? 0]?.push(vectors.words[r] ?? ''))
  return clusters.filter((c) => c.length > 0)
}
