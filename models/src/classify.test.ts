// End to end: the CLI as a child process, the way releases are evaluated.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('./classify.ts', import.meta.url))

function classify(lines: string[]): Record<string, unknown>[] {
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli], {
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(run.status, run.stderr).toBe(0)
  return run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

// An ordinary video description that fills the 1,000 characters the featuriser reads, so a
// threat after it starts where the featuriser stops. (The model itself is weaker on a threat
// that shares its piece with harmless words: "before adding salt. I'm going to kill you" is
// published, by this model and the one before it; that is the model's limit, not this test's.)
const STEPS = Array.from(
  { length: 16 },
  (_, i) => `Step ${i + 1}: stir the sauce slowly and taste it before adding salt.`,
).join(' ')
const LONG_HARMLESS = STEPS.slice(0, STEPS.lastIndexOf(' ', 999))
// A post of a few hundred characters: one piece for the featuriser, so a threat after it shares
// its n-gram weights with every harmless word (scored whole, the threat below is published at
// V 0.12); texts this long are also read sentence by sentence (alone it scores V 0.94).
const POST = STEPS.slice(0, STEPS.lastIndexOf('.', 400) + 1)

describe('npm run classify:comments', () => {
  let out: Record<string, unknown>[] = []

  beforeAll(() => {
    out = classify([
      JSON.stringify({ text: 'love this video, the music is so calming' }),
      JSON.stringify({ id: 'threat', text: 'I will find where you live and kill you' }),
      '{"text": broken',
      JSON.stringify({ text: 'shut up you stupid ugly bitch' }),
      JSON.stringify({ nope: 1 }),
      JSON.stringify({ text: `${LONG_HARMLESS} I will find where you live and kill you` }),
      JSON.stringify({ text: LONG_HARMLESS }),
      JSON.stringify({ text: `${POST} I will find where you live and kill you` }),
      JSON.stringify({ text: POST }),
    ])
  })

  it('writes one line per input, in order', () => {
    expect(out).toHaveLength(9)
  })

  it('publishes a benign comment with every label score', () => {
    expect(out[0]).toMatchObject({ decision: 'published', flagged: [] })
    for (const label of ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2']) {
      expect(typeof out[0]?.[label]).toBe('number')
    }
    expect(out[0]?.model).toMatch(/^comments-[0-9a-f]{12}$/)
  })

  it('holds or rejects a threat as violence', () => {
    expect(out[1]?.id).toBe('threat')
    expect(['held', 'rejected']).toContain(out[1]?.decision)
    expect(out[1]?.flagged).toEqual(
      expect.arrayContaining([expect.objectContaining({ category: 'V' })]),
    )
    expect(out[1]?.reason).toMatch(/violence/)
  })

  it('holds or rejects a targeted insult as harassment', () => {
    expect(['held', 'rejected']).toContain(out[3]?.decision)
    expect(out[3]?.flagged).toEqual(
      expect.arrayContaining([expect.objectContaining({ category: 'HR' })]),
    )
  })

  it('answers a malformed line with an error line and carries on', () => {
    expect(out[2]).toMatchObject({ line: 3 })
    expect(out[2]?.error).toMatch(/invalid JSON/)
    expect(out[4]).toMatchObject({ line: 5, error: 'missing string field "text"' })
  })

  it('reads a long text to its end: a threat past the 1,000 characters the featuriser reads is caught', () => {
    expect(LONG_HARMLESS.length).toBeGreaterThan(980)
    expect(out[6]).toMatchObject({ decision: 'published' })
    expect(['held', 'rejected']).toContain(out[5]?.decision)
    expect(out[5]?.flagged).toEqual(
      expect.arrayContaining([expect.objectContaining({ category: 'V' })]),
    )
  })

  it('reads a post sentence by sentence: a threat among harmless sentences is caught', () => {
    expect(POST.length).toBeGreaterThan(350)
    expect(out[8]).toMatchObject({ decision: 'published' })
    expect(['held', 'rejected']).toContain(out[7]?.decision)
    expect(out[7]?.flagged).toEqual(
      expect.arrayContaining([expect.objectContaining({ category: 'V' })]),
    )
  })
})
