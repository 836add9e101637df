import { describe, expect, it } from 'vitest'
import { readablePieces } from './moderate'

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
