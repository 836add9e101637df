// Seeded randomness. Every sampling function takes the generator as an argument so a
// Durable Object, a test and the offline evaluation replay exactly the same decisions.

export type Rng = () => number

// mulberry32: 32-bit state, enough for page assembly and simulations, trivially serialisable.
export function createRng(seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Derives a per-request seed from stable strings (user id, page number) so a retried
// request yields the same page.
export function hashSeed(...parts: Array<string | number>): number {
  let h = 2166136261
  for (const part of parts) {
    const text = String(part)
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i)
      h = Math.imul(h, 16777619)
    }
    h ^= 0x2c
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}

function sampleNormal(rng: Rng): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - rng()
  const v = rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

// Marsaglia-Tsang; shapes below 1 use the boost x * U^(1/shape).
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(1 - rng(), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x = sampleNormal(rng)
    let v = 1 + c * x
    if (v <= 0) continue
    v = v * v * v
    const u = 1 - rng()
    x = x * x
    if (u < 1 - 0.0331 * x * x) return d * v
    if (Math.log(u) < 0.5 * x + d * (1 - v + Math.log(v))) return d * v
  }
}

export function sampleBeta(rng: Rng, alpha: number, beta: number): number {
  const x = sampleGamma(rng, alpha)
  const y = sampleGamma(rng, beta)
  return x + y === 0 ? 0.5 : x / (x + y)
}
