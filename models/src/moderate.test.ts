import { describe, expect, it } from 'vitest'
import { DEFAULT_FEATURIZER } from './featurize'
import { piecesInOrder, readablePieces, scoredPieces, worstOverPieces } from './moderate'

describe('readablePieces', () => {
  it('leaves a text within the limit whole', () => {
    expect(readablePieces('  a short comment ', 20)).toEqual(['a short comment'])
  })

  it('cuts a long text at spaces into pieces no longer than the limit, losing no word', () => {
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`)
    const pieces = readablePieces(words.join(' '), 100)
    expect(pieces.length).toBeGreaterThan(1)
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(100)
    expect(pieces.join(' ').split(' ')).toEqual(words)
  })

  it('cuts one unbroken run of characters where it must', () => {
    expect(readablePieces('x'.repeat(250), 100).map((p) => p.length)).toEqual([100, 100, 50])
  })
})

describe('scoredPieces', () => {
  const config = { ...DEFAULT_FEATURIZER, sentencesFrom: 40 }

  it('scores a short text whole, even with several sentences', () => {
    expect(scoredPieces('Great video. I love it!', config)).toEqual([
      { text: 'Great video. I love it!', sentences: [] },
    ])
  })

  it('scores a long text whole and sentence by sentence', () => {
    const text = 'Loved the recipe, the sauce looked great.\nAnyway... I know where you live!'
    const pieces = scoredPieces(text, config)
    expect(pieces).toEqual([
      {
        text,
        sentences: [
          'Loved the recipe, the sauce looked great.',
          'Anyway...',
          'I know where you live!',
        ],
      },
    ])
    expect(piecesInOrder(pieces)).toEqual([text, ...(pieces[0]?.sentences ?? [])])
  })

  it('keeps fragments without a letter out, and scores whole without the setting', () => {
    const text = 'What a day of filming this was, honestly. 😂😂 !!! See you all next week.'
    expect(scoredPieces(text, config)[0]?.sentences).toEqual([
      'What a day of filming this was, honestly.',
      'See you all next week.',
    ])
    expect(scoredPieces(text, DEFAULT_FEATURIZER)).toEqual([{ text, sentences: [] }])
  })
})

describe('worstOverPieces', () => {
  const logit = (p: number) => Math.log(p / (1 - p))
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))
  // One piece with two sentences; two labels: [threat, self-harm].
  const pieces = [{ text: 'whole', sentences: ['first', 'second'] }]
  const rows = [
    [0.1, 0.2], // the piece whole
    [0.9, 0.3], // first sentence
    [0.4, 0.95], // second sentence
  ]
  const rowAt = (i: number) => rows[i] ?? []

  it('keeps the worst sentence as it is when sentences are read alone', () => {
    const worst = worstOverPieces(pieces, rowAt, 2, DEFAULT_FEATURIZER)
    expect(Array.from(worst)).toEqual([0.9, 0.95])
  })

  it('reads each sentence partly in its piece, label by label', () => {
    const config = { ...DEFAULT_FEATURIZER, sentenceContext: [0.25, 0] }
    const worst = worstOverPieces(pieces, rowAt, 2, config)
    // The threat sentence is pulled towards the harmless whole; self-harm is read alone.
    expect(worst[0]).toBeCloseTo(sigmoid(0.75 * logit(0.9) + 0.25 * logit(0.1)), 10)
    expect(worst[0]).toBeLessThan(0.9)
    expect(worst[1]).toBeCloseTo(0.95, 10)
  })

  it('never scores a text below its piece read whole', () => {
    const config = { ...DEFAULT_FEATURIZER, sentenceContext: [0.25, 0.25] }
    const whole = [
      [0.97, 0.5],
      [0.2, 0.1],
      [0.3, 0.2],
    ]
    const worst = worstOverPieces(pieces, (i) => whole[i] ?? [], 2, config)
    expect(worst[0]).toBeCloseTo(0.97, 10)
    expect(worst[1]).toBeCloseTo(0.5, 10)
  })
})
