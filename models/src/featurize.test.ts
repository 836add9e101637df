import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  addressed,
  DEFAULT_FEATURIZER,
  featureLength,
  featurize,
  featurizeBatch,
  featurizeSparse,
  fnv1a,
  linearLength,
  normalizeText,
  SIGNAL,
} from './featurize'

const minorSlot = DEFAULT_FEATURIZER.hashBuckets + SIGNAL.minor

describe('normalizeText', () => {
  it.each([
    ['F.U.C.K you b1tch!!!', 'fuck you bitch'],
    ['f u c k this', 'fuck this'],
    ['soooooo gooood', 'soo good'],
    ['Café NAÏVE', 'cafe naive'],
    ['ＦＵＬＬＷＩＤＴＨ text', 'fullwidth text'],
    ['RT @someone: look https://example.com/x', 'xxuser look xxurl'],
    ['$hit and sh1t in 2026', 'shit and shit in 2026'],
    ['   ', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected)
  })

  it('cuts long text to maxChars', () => {
    expect(normalizeText('word '.repeat(1000), 50).length).toBeLessThanOrEqual(50)
  })
})

describe('addressed words', () => {
  it('keys the words said to someone, not the same words said of something', () => {
    expect(addressed(['youre', 'so', 'ugly', 'lol'], 2)).toEqual(['y:so', 'y:ugly'])
    expect(addressed(['this', 'sweater', 'is', 'ugly'], 5)).toEqual([])
    // A second-person word restarts the window and is not itself a key.
    expect(addressed(['u', 'r', 'ur', 'mum', 'u', 'mum'], 1)).toEqual(['y:r', 'y:mum'])
  })

  it('gives "ugly" said to a person a feature that "ugly" said of a thing lacks', () => {
    const on = (text: string) => new Set(featurizeSparse(text).indices)
    const off = (text: string) =>
      new Set(featurizeSparse(text, { ...DEFAULT_FEATURIZER, addresseeWindow: 0 }).indices)
    const toPerson = on('you are ugly')
    const extra = [...toPerson].filter((i) => !off('you are ugly').has(i))
    expect(extra.length).toBeGreaterThan(0)
    expect(extra.some((i) => on('the sweater is ugly').has(i))).toBe(false)
  })
})

describe('featurize', () => {
  const texts = ['nice video!', 'I will k1ll you', '', 'a very long comment '.repeat(80)]

  it('is deterministic and returns the fixed length', () => {
    for (const text of texts) {
      const a = featurize(text)
      const b = featurize(text)
      expect(a.length).toBe(featureLength(DEFAULT_FEATURIZER))
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true)
    }
  })

  it('sparse and dense agree, indices ascending, values finite', () => {
    for (const text of texts) {
      const { indices, values } = featurizeSparse(text)
      const dense = featurize(text)
      for (let i = 0; i < indices.length; i++) {
        if (i > 0) expect(indices[i]).toBeGreaterThan(indices[i - 1] ?? -1)
        expect(Number.isFinite(values[i])).toBe(true)
        expect(dense[indices[i] ?? 0]).toBe(values[i])
      }
    }
  })

  it('batches rows in order', () => {
    const width = featureLength(DEFAULT_FEATURIZER)
    const batch = featurizeBatch(texts)
    texts.forEach((text, row) => {
      expect([...batch.subarray(row * width, (row + 1) * width)]).toEqual([...featurize(text)])
    })
  })

  it('maps obfuscated spellings onto the plain word features', () => {
    const plain = featurizeSparse('you idiot')
    const leet = featurizeSparse('y0u 1d10t')
    expect([...leet.indices]).toEqual([...plain.indices])
  })

  it('sets the minor signal only when a minor is mentioned', () => {
    expect(featurize('my 12 year old loves this')[minorSlot]).toBe(1)
    expect(featurize('a video for kids')[minorSlot]).toBe(1)
    expect(featurize('I am 25 years old')[minorSlot]).toBe(0)
    expect(featurize('great video')[minorSlot]).toBe(0)
  })

  it('word-list slots are zero when word lists are off', () => {
    const off = featurize('fuck you', { ...DEFAULT_FEATURIZER, wordLists: false })
    const on = featurize('fuck you')
    const profanity = DEFAULT_FEATURIZER.hashBuckets + SIGNAL.profanity
    expect(on[profanity]).toBeGreaterThan(0)
    expect(off[profanity]).toBe(0)
  })

  it('appends the ids of in-vocabulary words after the linear part, zero-padded', () => {
    const config = { ...DEFAULT_FEATURIZER, tokenSlots: 4, vocabulary: ['you', 'are', 'vermin'] }
    const width = featureLength(config)
    expect(width).toBe(linearLength(config) + 4)
    const x = featurizeSparse('YOU are all V3RMIN, you', config)
    // "all" is not in the vocabulary: skipped, not padded.
    expect([...x.tokens]).toEqual([1, 2, 3, 1])
    const dense = featurize('YOU are all V3RMIN, you', config)
    expect([...dense.subarray(linearLength(config))]).toEqual([1, 2, 3, 1])
    expect([...featurize('nothing known here', config).subarray(linearLength(config))]).toEqual([
      0, 0, 0, 0,
    ])
    // The linear part does not depend on the vocabulary.
    expect([...dense.subarray(0, linearLength(config))]).toEqual([
      ...featurize('YOU are all V3RMIN, you'),
    ])
    // At most tokenSlots ids.
    expect(featurizeSparse('you '.repeat(10), config).tokens.length).toBe(4)
  })

  it('counts expanded word-list hits in the group slots, and only there', () => {
    const config = { ...DEFAULT_FEATURIZER, wordGroups: [['vermin', 'rats'], ['gore']] }
    const dense = featurize('they are VERMIN and rats, vermin', config)
    const slot = DEFAULT_FEATURIZER.hashBuckets + SIGNAL.firstGroup
    expect(dense[slot]).toBe(1)
    expect(dense[slot + 1]).toBe(0)
    expect(featurize('one vermin', config)[slot]).toBe(0.5)
    // Without groups the slots stay zero and everything else is unchanged.
    const plain = featurize('they are VERMIN and rats, vermin')
    expect(plain[slot]).toBe(0)
    dense[slot] = 0
    expect([...dense]).toEqual([...plain])
  })

  it('hashes with FNV-1a 32-bit', () => {
    expect(fnv1a('')).toBe(0x811c9dc5)
    expect(fnv1a('a')).toBe(0xe40c292c)
  })

  it('the files the Worker imports use no Node APIs', () => {
    for (const file of [
      'featurize.ts',
      'lexicons.ts',
      'decide.ts',
      'labels.ts',
      'artifact.ts',
      'moderate.ts',
    ]) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8')
      expect(source, file).not.toMatch(/from 'node:|require\(|process\.|Buffer/)
    }
  })
})

describe('word clusters', () => {
  const config = {
    ...DEFAULT_FEATURIZER,
    wordClusters: [['vermin', 'rats', 'cockroaches'], ['eradicate']],
  }
  const clusterIndex = (c: number): number => fnv1a(`k:${c}`) % config.hashBuckets

  it("adds a word's cluster as a hashed feature, the same for every word of the cluster", () => {
    const unseen = featurizeSparse('they are vermin', config)
    const known = featurizeSparse('they are rats', config)
    expect([...unseen.indices]).toContain(clusterIndex(0))
    expect([...known.indices]).toContain(clusterIndex(0))
    expect([...unseen.indices]).not.toContain(clusterIndex(1))
  })

  it('adds nothing for words outside every cluster, or without clusters', () => {
    const plain = featurizeSparse('they are vermin', DEFAULT_FEATURIZER)
    const outside = featurizeSparse('they are lovely', config)
    expect([...plain.indices]).not.toContain(clusterIndex(0))
    expect(outside.indices).toEqual(featurizeSparse('they are lovely', DEFAULT_FEATURIZER).indices)
  })
})
