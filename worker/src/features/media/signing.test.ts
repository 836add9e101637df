import { describe, expect, it } from 'vitest'
import { inSeconds, sign, signedQuery, verifySignedUrl } from './signing'

const SECRET = 'unit-test-secret'
const urlWith = (query: string) => new URL(`http://x/y?${query}`)

describe('signed URLs', () => {
  it('accept the method, resource and expiry they were made for', async () => {
    const q = await signedQuery(SECRET, {
      method: 'PUT',
      resource: 'upload/v1/1',
      expiresAt: inSeconds(60),
    })
    expect(await verifySignedUrl(SECRET, 'PUT', 'upload/v1/1', urlWith(q))).toEqual({ ok: true })
  })

  it('refuse a wrong method, another resource, an expired grant and a bit-flipped signature', async () => {
    const q = await signedQuery(SECRET, {
      method: 'PUT',
      resource: 'upload/v1/1',
      expiresAt: inSeconds(60),
    })
    expect(await verifySignedUrl(SECRET, 'GET', 'upload/v1/1', urlWith(q))).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    expect(await verifySignedUrl(SECRET, 'PUT', 'upload/v1/2', urlWith(q))).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    expect(await verifySignedUrl(SECRET, 'PUT', 'upload/v2/1', urlWith(q))).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    const later = Date.now() + 61_000
    expect(await verifySignedUrl(SECRET, 'PUT', 'upload/v1/1', urlWith(q), later)).toEqual({
      ok: false,
      reason: 'expired',
    })
    const params = new URLSearchParams(q)
    const sig = params.get('sig') ?? ''
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
    params.set('sig', flipped)
    expect(await verifySignedUrl(SECRET, 'PUT', 'upload/v1/1', urlWith(params.toString()))).toEqual(
      { ok: false, reason: 'bad_signature' },
    )
    // Moving the expiry invalidates the signature too.
    params.set('sig', sig)
    params.set('exp', String(Number(params.get('exp')) + 3600))
    expect(await verifySignedUrl(SECRET, 'PUT', 'upload/v1/1', urlWith(params.toString()))).toEqual(
      { ok: false, reason: 'bad_signature' },
    )
    // Another secret never verifies.
    expect(await verifySignedUrl('other-secret', 'PUT', 'upload/v1/1', urlWith(q))).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
  })

  it('prefix grants cover exactly the resources under their prefix', async () => {
    const q = await signedQuery(SECRET, {
      method: 'PUT',
      resource: 'output/v1/',
      expiresAt: inSeconds(60),
      prefix: true,
    })
    expect(
      await verifySignedUrl(SECRET, 'PUT', 'output/v1/hls/720p/seg_000.ts', urlWith(q)),
    ).toEqual({ ok: true })
    expect((await verifySignedUrl(SECRET, 'PUT', 'output/v2/poster.jpg', urlWith(q))).ok).toBe(
      false,
    )
    // A forged scope cannot widen the grant.
    const params = new URLSearchParams(q)
    params.set('scope', 'prefix:output/')
    expect(
      (await verifySignedUrl(SECRET, 'PUT', 'output/v2/poster.jpg', urlWith(params.toString()))).ok,
    ).toBe(false)
  })

  it('signatures are deterministic for the same grant', async () => {
    const g = { method: 'GET' as const, resource: 'source/v1', expiresAt: 1_900_000_000 }
    expect(await sign(SECRET, g)).toBe(await sign(SECRET, g))
  })
})
