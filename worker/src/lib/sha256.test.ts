import { describe, expect, it } from 'vitest'
import { sha256Hex } from './ids'
import { sha256HexSync } from './sha256'

describe('sha256HexSync', () => {
  it('is the SHA-256 that sessions.token_hash holds (crypto.subtle), for every length and for non-ASCII text', async () => {
    // Lengths around the block edges (55/56 bytes: where the length stops fitting the first
    // block; 64, 119/120, 128) and far beyond; cookies are 43 base64url characters.
    const texts = ['', 'abc', 'é', 'x'.repeat(1000), 'ᚠ'.repeat(30), 'bench-token-7']
    for (const n of [1, 43, 54, 55, 56, 57, 63, 64, 65, 119, 120, 128, 200]) {
      texts.push(
        Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) =>
          String.fromCharCode(33 + (b % 90)),
        ).join(''),
      )
    }
    for (const text of texts) expect(sha256HexSync(text), text).toBe(await sha256Hex(text))
    // The FIPS 180-2 example.
    expect(sha256HexSync('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })
})
