import { describe, expect, it } from 'vitest'
import { DEFAULT_FEATURIZER } from './featurize'
import { readablePieces, scoredPieces } from './moderate'

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
    expect(scoredPieces('Great video. I love it!', config)).toEqual(['Great video. I love it!'])
  })

  it('scores a long text whole and sentence by sentence', () => {
    const text = 'Loved the recipe, the sauce looked great.\nAnyway... I know where you live!'
    expect(scoredPieces(text, config)).toEqual([
      text,
      'Loved the recipe, the sauce looked great.',
      'Anyway...',
      'I know where you live!',
    ])
  })

  it('keeps fragments without a letter out, and scores whole without the setting', () => {
    const text = 'What a day of filming this was, honestly. 😂😂 !!! See you all next week.'
    expect(scoredPieces(text, config)).toEqual([
      text,
      'What a day of filming this was, honestly.',
      'See you all next week.',
    ])
    expect(scoredPieces(text, DEFAULT_FEATURIZER)).toEqual([text])
  })
})
