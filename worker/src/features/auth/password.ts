import { base64Url, fromBase64Url, timingSafeEqual } from '../../lib/ids'

// PBKDF2-SHA256 through WebCrypto. 100,000 iterations is the most workerd
// allows; the count is stored with the hash so it can be raised later.
const ITERATIONS = 100_000
const KEY_BITS = 256

async function derive(password: string, salt: Uint8Array, iterations: number) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  )
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    KEY_BITS,
  )
  return new Uint8Array(bits)
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await derive(password, salt, ITERATIONS)
  return `pbkdf2-sha256$${ITERATIONS}$${base64Url(salt)}$${base64Url(hash)}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split('$')
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !hash) return false
  const actual = await derive(password, fromBase64Url(salt), Number(iterations))
  return timingSafeEqual(actual, fromBase64Url(hash))
}

// A hash to compare against when the user does not exist, so a login for an
// unknown email takes as long as one with a wrong password.
export const DUMMY_HASH =
  'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
