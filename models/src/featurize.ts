// The one featuriser, shared by training (Node) and serving (the Worker). Pure TypeScript: no Node
// APIs, no randomness, no locale-dependent calls, so the same text always gives the same vector.
import {
  countMatches,
  FIRST_PERSON,
  MINOR,
  SECOND_PERSON,
  SELF_HARM,
  THREAT,
  wordListHits,
} from './lexicons'

export interface FeaturizerConfig {
  version: 2
  /** Number of hashed buckets. */
  hashBuckets: number
  /** Dense signal slots after the buckets; the feature vector has hashBuckets + signalSlots entries. */
  signalSlots: number
  charNgramMin: number
  charNgramMax: number
  /** Characters kept after normalisation; long posts are cut so comments and posts look alike. */
  maxChars: number
  /** Word-list signals (obscenity + our lexicons). Off zeroes those slots; the minor slot stays. */
  wordLists: boolean
  /**
   * Word-id slots after the signal slots: the ids of the first `tokenSlots` words of the text that
   * are in `vocabulary` (word i has id i + 1; 0 pads). The model looks them up in its embedding
   * table. 0 slots: no embedding part.
   */
  tokenSlots?: number
  /** The embedding table's words, in id order (a cut of the pretrained vectors). */
  vocabulary?: string[]
  /**
   * Word lists grown from hand-picked seeds to their nearest neighbours in the pretrained vectors
   * (at training time); group g fills signal slot SIGNAL.firstGroup + g with its hit count.
   */
  wordGroups?: string[][]
  /**
   * Texts at least this long (characters) are also scored sentence by sentence, keeping the
   * worst (`scoredPieces` in moderate.ts). A whole text's n-grams are weighted by
   * 1/sqrt(words), so a long post's one alarming sentence scores low; on its own it does not.
   * Absent: texts are scored whole.
   */
  sentencesFrom?: number
  /**
   * Per label (LABELS order), how much a long text's sentence is read in the context of its
   * piece (`worstOverPieces` in moderate.ts). Absent: every sentence alone.
   */
  sentenceContext?: number[]
  /**
   * Word clusters from the pretrained vectors (word-clusters.ts): each word of the text in a
   * cluster adds the hashed feature of its cluster, so words no labelled set contains share
   * weights with their neighbours in the vectors.
   */
  wordClusters?: string[][]
  /**
   * Words addressed to someone: each word within this many words after a second-person word
   * ("you're so ugly", "ur mum is a ...") adds a hashed `y:` feature of its own, so "ugly" said
   * to a person and "ugly" said of a sweater get different weights, which a linear model over
   * words and bigrams cannot give them. Absent or 0: none.
   */
  addresseeWindow?: number
}

export const DEFAULT_FEATURIZER: FeaturizerConfig = {
  version: 2,
  // 2^18 rather than 2^16: fewer n-grams share a weight. Chosen out of source (2026-12-01,
  // n-grams only, 5 public sources and 4 team writers each held out, part G in training):
  // mean leave-one-source-out AP 0.577 -> 0.580, unseen writers' AUC 0.872 -> 0.882 and
  // 0.906 -> 0.930; their negatives held 2.5% and 1.3%. The model file grows by ~1.5 MB.
  hashBuckets: 1 << 18,
  signalSlots: 16,
  charNgramMin: 3,
  charNgramMax: 5,
  maxChars: 1000,
  wordLists: true,
  // Chosen out of source (2026-12-02, session 17): mean leave-one-source-out AP rose in all five
  // variants with it (shipped 0.603 -> 0.608); windows 2 / 3 / 5 gave 0.599 / 0.607 / 0.608.
  addresseeWindow: 5,
}

// Dense signal slot offsets (after the hashed buckets).
export const SIGNAL = {
  minor: 0,
  secondPerson: 1,
  firstPerson: 2,
  mention: 3,
  profanity: 4,
  sexual: 5,
  slurs: 6,
  selfHarm: 7,
  threat: 8,
  length: 9,
  shouting: 10,
  /** First slot of the expanded word groups (FeaturizerConfig.wordGroups). */
  firstGroup: 11,
} as const

export interface SparseFeatures {
  /** The linear part (hashed n-grams + signals): indices ascending, values float32. */
  indices: Int32Array
  values: Float32Array
  /** Embedding ids of the in-vocabulary words, in text order, at most tokenSlots of them. */
  tokens: Int32Array
}

/** Width of the model input: linear part, then the word-id slots. */
export function featureLength(config: FeaturizerConfig): number {
  return linearLength(config) + (config.tokenSlots ?? 0)
}

/** Width of the linear part (hashed buckets + signal slots). */
export function linearLength(config: FeaturizerConfig): number {
  return config.hashBuckets + config.signalSlots
}

// One word -> group indices map per wordGroups array, built once like the vocabulary map.
const groupMaps = new WeakMap<readonly string[][], Map<string, number[]>>()

function groupMap(groups: readonly string[][]): Map<string, number[]> {
  let map = groupMaps.get(groups)
  if (map === undefined) {
    map = new Map()
    groups.forEach((words, g) => {
      for (const word of words) map?.set(word, [...(map.get(word) ?? []), g])
    })
    groupMaps.set(groups, map)
  }
  return map
}

// One word -> cluster map per wordClusters array, built once like the vocabulary map.
const clusterMaps = new WeakMap<readonly string[][], Map<string, number>>()

function clusterMap(clusters: readonly string[][]): Map<string, number> {
  let map = clusterMaps.get(clusters)
  if (map === undefined) {
    map = new Map()
    clusters.forEach((words, c) => {
      for (const word of words) map?.set(word, c)
    })
    clusterMaps.set(clusters, map)
  }
  return map
}

// One word -> id map per vocabulary array (the metadata JSON's array is the same object for the
// life of an isolate, so the map is built once).
const vocabularyMaps = new WeakMap<readonly string[], Map<string, number>>()

function vocabularyMap(vocabulary: readonly string[]): Map<string, number> {
  let map = vocabularyMaps.get(vocabulary)
  if (map === undefined) {
    map = new Map(vocabulary.map((word, i) => [word, i + 1]))
    vocabularyMaps.set(vocabulary, map)
  }
  return map
}

/** Embedding ids of the first `tokenSlots` in-vocabulary words of normalised text. */
export function tokenIds(words: readonly string[], config: FeaturizerConfig): Int32Array {
  const slots = config.tokenSlots ?? 0
  const vocabulary = config.vocabulary ?? []
  if (slots === 0 || vocabulary.length === 0) return new Int32Array(0)
  const map = vocabularyMap(vocabulary)
  const ids: number[] = []
  for (const word of words) {
    const id = map.get(word)
    if (id === undefined) continue
    ids.push(id)
    if (ids.length === slots) break
  }
  return Int32Array.from(ids)
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '|': 'l',
  '+': 't',
}

/** Undo the usual obfuscations inside one token that contains at least one letter. */
function deobfuscateToken(token: string): string {
  if (!/[a-z]/.test(token)) return token
  let out = ''
  for (const ch of token.replace(/!(?=[a-z])/g, 'i')) out += LEET[ch] ?? ch
  // Separators inside a word ("f.u.c.k", "sh*t") are dropped; "*" becomes a wildcard-ish "x".
  return out.replace(/[.\-_'’]/g, '').replace(/\*+/g, 'x')
}

/**
 * Deterministic text normalisation: Unicode compatibility forms, lower case, accents removed,
 * HTML entities, URLs and @mentions replaced by placeholders, leetspeak undone, letters repeated
 * three or more times cut to two, spaced-out letters ("f u c k") joined.
 */
export function normalizeText(raw: string, maxChars = DEFAULT_FEATURIZER.maxChars): string {
  let text = raw
    .slice(0, maxChars * 2)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
  text = text
    .replace(/&#(\d+);/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;|&gt;|&quot;/g, ' ')
    .replace(/https?:\/\/\S+|www\.\S+/g, ' xxurl ')
    .replace(/^\s*rt\s+/, '')
    .replace(/@\w+:?/g, ' xxuser ')
  const tokens = text.split(/\s+/).filter((t) => t.length > 0)
  const cleaned = tokens.map((t) =>
    deobfuscateToken(t)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  )
  text = cleaned
    .join(' ')
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/\s+/g, ' ')
    .trim()
  // Join runs of three or more single letters: "f u c k" -> "fuck".
  text = text.replace(/\b(?:\p{L} ){2,}\p{L}\b/gu, (run) => run.replace(/ /g, ''))
  return text.slice(0, maxChars)
}

/** FNV-1a, 32 bit, over UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

function addGroup(acc: Map<number, number>, keys: string[], buckets: number, weight: number): void {
  if (keys.length === 0) return
  const unique = [...new Set(keys)]
  const value = weight / Math.sqrt(unique.length)
  for (const key of unique) {
    const index = fnv1a(key) % buckets
    acc.set(index, (acc.get(index) ?? 0) + value)
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x
}

const SECOND_PERSON_WORD = new RegExp(`^(?:${SECOND_PERSON.source.replace(/\\b/g, '')})$`)

/** `y:` keys of the words within `window` words after a second-person word (none repeated). */
export function addressed(words: readonly string[], window: number): string[] {
  const keys = new Set<string>()
  let left = 0
  for (const word of words) {
    if (SECOND_PERSON_WORD.test(word)) {
      left = window
      continue
    }
    if (left > 0) {
      keys.add(`y:${word}`)
      left--
    }
  }
  return [...keys]
}

/** Sparse features: indices ascending, values float32. This is what training uses. */
export function featurizeSparse(
  raw: string,
  config: FeaturizerConfig = DEFAULT_FEATURIZER,
): SparseFeatures {
  const text = normalizeText(raw, config.maxChars)
  const words = text.length > 0 ? text.split(' ') : []
  const acc = new Map<number, number>()
  const { hashBuckets: buckets } = config

  addGroup(
    acc,
    words.map((w) => `w:${w}`),
    buckets,
    1,
  )
  const bigrams: string[] = []
  for (let i = 0; i + 1 < words.length; i++)
    bigrams.push(`b:${words[i] ?? ''} ${words[i + 1] ?? ''}`)
  addGroup(acc, bigrams, buckets, 0.7)
  if ((config.addresseeWindow ?? 0) > 0)
    addGroup(acc, addressed(words, config.addresseeWindow ?? 0), buckets, 0.7)
  const grams: string[] = []
  for (const word of words) {
    const padded = `<${word}>`
    for (let n = config.charNgramMin; n <= config.charNgramMax; n++) {
      for (let i = 0; i + n <= padded.length; i++) grams.push(`c:${padded.slice(i, i + n)}`)
    }
  }
  addGroup(acc, grams, buckets, 1)
  if (config.wordClusters !== undefined) {
    const map = clusterMap(config.wordClusters)
    const ids = words.map((w) => map.get(w))
    addGroup(
      acc,
      ids.flatMap((c) => (c === undefined ? [] : [`k:${c}`])),
      buckets,
      1,
    )
  }

  const signals = new Float32Array(config.signalSlots)
  signals[SIGNAL.minor] = MINOR.test(text) ? 1 : 0
  if (config.wordLists) {
    const hits = wordListHits(raw.slice(0, config.maxChars))
    signals[SIGNAL.secondPerson] = countMatches(text, SECOND_PERSON) > 0 ? 1 : 0
    signals[SIGNAL.firstPerson] = countMatches(text, FIRST_PERSON) > 0 ? 1 : 0
    signals[SIGNAL.mention] = text.includes('xxuser') ? 1 : 0
    signals[SIGNAL.profanity] = clamp01(hits.profanity / 2)
    signals[SIGNAL.sexual] = clamp01(hits.sexual / 2)
    signals[SIGNAL.slurs] = clamp01(hits.slurs / 2)
    signals[SIGNAL.selfHarm] = clamp01(countMatches(text, SELF_HARM) / 2)
    signals[SIGNAL.threat] = clamp01(countMatches(text, THREAT) / 2)
    signals[SIGNAL.length] = clamp01(Math.log1p(words.length) / Math.log1p(200))
    const letters = raw.replace(/[^A-Za-z]/g, '')
    const upper = raw.replace(/[^A-Z]/g, '').length
    signals[SIGNAL.shouting] = letters.length >= 8 ? upper / letters.length : 0
    const groups = config.wordGroups ?? []
    if (groups.length > 0) {
      const map = groupMap(groups)
      const hits = new Array<number>(groups.length).fill(0)
      for (const word of words) for (const g of map.get(word) ?? []) hits[g] = (hits[g] ?? 0) + 1
      hits.forEach((n, g) => {
        const slot = SIGNAL.firstGroup + g
        if (slot < config.signalSlots) signals[slot] = clamp01(n / 2)
      })
    }
  }
  for (let s = 0; s < config.signalSlots; s++) {
    const v = signals[s] ?? 0
    if (v !== 0) acc.set(buckets + s, v)
  }

  const indices = Int32Array.from([...acc.keys()].sort((a, b) => a - b))
  const values = new Float32Array(indices.length)
  for (let i = 0; i < indices.length; i++) values[i] = acc.get(indices[i] ?? 0) ?? 0
  return { indices, values, tokens: tokenIds(words, config) }
}

/** Dense features for the ONNX model: a Float32Array of length featureLength(config). */
export function featurize(
  raw: string,
  config: FeaturizerConfig = DEFAULT_FEATURIZER,
): Float32Array {
  return toDense(featurizeSparse(raw, config), config)
}

/** Several comments in one row-major [texts.length, featureLength] buffer, for one ONNX call. */
export function featurizeBatch(
  texts: readonly string[],
  config: FeaturizerConfig = DEFAULT_FEATURIZER,
): Float32Array {
  const width = featureLength(config)
  const out = new Float32Array(texts.length * width)
  texts.forEach((text, row) => {
    out.set(toDense(featurizeSparse(text, config), config), row * width)
  })
  return out
}

/** The model's input row: linear part, then the word ids as floats (exact below 2^24). */
export function toDense(
  { indices, values, tokens }: SparseFeatures,
  config: FeaturizerConfig,
): Float32Array {
  const out = new Float32Array(featureLength(config))
  for (let i = 0; i < indices.length; i++) out[indices[i] ?? 0] = values[i] ?? 0
  const base = linearLength(config)
  const slots = config.tokenSlots ?? 0
  for (let i = 0; i < tokens.length && i < slots; i++) out[base + i] = tokens[i] ?? 0
  return out
}
