import { base64Url, fromBase64Url } from '../../lib/ids'

// The one module that signs URLs. A signature is an HMAC-SHA256 over the
// method, the resource and the expiry; `prefix` grants cover every resource
// under a path (the transcoder writes many files it cannot name in advance).
// Production may swap this for R2 presigned S3 URLs behind the same calls.

export type Grant = {
  method: 'GET' | 'PUT'
  resource: string
  expiresAt: number // epoch seconds
  prefix?: boolean
}

const keys = new Map<string, Promise<CryptoKey>>()
function hmacKey(secret: string) {
  let key = keys.get(secret)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )
    keys.set(secret, key)
  }
  return key
}

const payload = (g: Grant) =>
  new TextEncoder().encode(
    `${g.method}\n${g.prefix ? 'prefix' : 'exact'}\n${g.resource}\n${g.expiresAt}`,
  )

export function requireSecret(env: Pick<Env, 'SIGNING_SECRET'>): string {
  if (!env.SIGNING_SECRET) throw new Error('SIGNING_SECRET is not configured')
  return env.SIGNING_SECRET
}

export async function sign(secret: string, grant: Grant): Promise<string> {
  const sig = await crypto.subtle.sign('HMAC', await hmacKey(secret), payload(grant))
  return base64Url(new Uint8Array(sig))
}

// Query string for a grant: `exp`, `sig` and, for prefix grants, `scope`.
export async function signedQuery(secret: string, grant: Grant): Promise<string> {
  const params = new URLSearchParams({
    exp: String(grant.expiresAt),
    sig: await sign(secret, grant),
  })
  if (grant.prefix) params.set('scope', `prefix:${grant.resource}`)
  return params.toString()
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'expired' | 'bad_signature' }

// Checks `exp`/`sig`/`scope` from a URL against the method and resource of the
// request. crypto.subtle.verify compares in constant time.
export async function verifySignedUrl(
  secret: string,
  method: string,
  resource: string,
  url: URL,
  now = Date.now(),
): Promise<VerifyResult> {
  const exp = Number(url.searchParams.get('exp'))
  const sig = url.searchParams.get('sig') ?? ''
  const scope = url.searchParams.get('scope')
  if (!Number.isInteger(exp) || !sig) return { ok: false, reason: 'bad_signature' }
  let grant: Grant
  if (scope) {
    const prefix = scope.startsWith('prefix:') ? scope.slice('prefix:'.length) : ''
    if (!prefix || !resource.startsWith(prefix)) return { ok: false, reason: 'bad_signature' }
    grant = { method: method as Grant['method'], resource: prefix, expiresAt: exp, prefix: true }
  } else {
    grant = { method: method as Grant['method'], resource, expiresAt: exp }
  }
  let sigBytes: Uint8Array
  try {
    sigBytes = fromBase64Url(sig)
  } catch {
    return { ok: false, reason: 'bad_signature' }
  }
  const valid = await crypto.subtle.verify('HMAC', await hmacKey(secret), sigBytes, payload(grant))
  if (!valid) return { ok: false, reason: 'bad_signature' }
  if (exp * 1000 < now) return { ok: false, reason: 'expired' }
  return { ok: true }
}

export const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds
