// Word lists grown from a few hand-picked seeds to their nearest neighbours in the pretrained vectors,
// so words no labelled row contains ("vermin", "disembowelled") still light a signal. Runs at training
// time; only the resulting lists ship (in the metadata's featurizer config). Deterministic.
import type { WordVectors } from './vectors'

/** Seeds per group, in signal-slot order (SIGNAL.firstGroup + index). Generic vocabulary only. */
export const SEED_GROUPS: { name: string; seeds: string[] }[] = [
  {
    name: 'dehumanising',
    seeds: [
      'vermin',
      'cockroaches',
      'parasites',
      'savages',
      'subhuman',
      'scum',
      'filth',
      'infestation',
      'invaders',
      'degenerates',
      'leeches',
      'barbarians',
      'exterminate',
      'eradicate',
      'genocide',
    ],
  },
  {
    name: 'gore',
    seeds: [
      'gore',
      'guts',
      'decapitated',
      'intestines',
      'mutilated',
      'dismembered',
      'corpse',
      'severed',
      'entrails',
      'splattered',
      'bloodied',
      'maggots',
      'disemboweled',
    ],
  },
  {
    name: 'sexual',
    seeds: [
      'nude',
      'naked',
      'horny',
      'boobs',
      'dick',
      'pussy',
      'porn',
      'nudes',
      'sexy',
      'orgasm',
      'erotic',
      'lingerie',
      'stripper',
      'masturbate',
    ],
  },
  {
    name: 'insult',
    seeds: [
      'idiot',
      'stupid',
      'ugly',
      'loser',
      'pathetic',
      'worthless',
      'disgusting',
      'moron',
      'dumb',
      'freak',
      'clown',
      'imbecile',
      'retard',
    ],
  },
  {
    name: 'self-harm',
    seeds: [
      'suicide',
      'suicidal',
      'overdose',
      'razor',
      'noose',
      'anorexia',
      'bulimia',
      'starving',
      'wrists',
      'cutting',
      'selfharm',
      'hopeless',
    ],
  },
]

export interface GroupOptions {
  /** Words considered (most frequent plain words). */
  words: number
  /** Words added per group: the nearest to the group's centroid. */
  neighbours: number
  /** Lowest cosine similarity to the centroid. */
  minCosine: number
}

export const GROUP_OPTIONS: GroupOptions = { words: 60_000, neighbours: 40, minCosine: 0.5 }

/**
 * Each group: its seeds plus the words nearest to the centroid of the seeds' unit vectors (a word
 * close to one seed only, such as "gore" -> a politician's name, stays out).
 */
export function expandWordGroups(vectors: WordVectors, options = GROUP_OPTIONS): string[][] {
  const n = vectors.dims
  const rows: number[] = []
  for (let i = 0; i < vectors.words.length && rows.length < options.words; i++) {
    if (/^[a-z]+$/.test(vectors.words[i] ?? '')) rows.push(i)
  }
  const norms = new Float64Array(vectors.words.length)
  for (const r of rows) {
    let s = 0
    for (let d = 0; d < n; d++) s += (vectors.vectors[r * n + d] ?? 0) ** 2
    norms[r] = Math.sqrt(s) || 1
  }
  const index = new Map(rows.map((r) => [vectors.words[r] ?? '', r]))
  return SEED_GROUPS.map(({ seeds }) => {
    const centroid = new Float64Array(n)
    const present = seeds.map((s) => index.get(s)).filter((r): r is number => r !== undefined)
    for (const r of present) {
      for (let d = 0; d < n; d++) {
        centroid[d] = (centroid[d] ?? 0) + (vectors.vectors[r * n + d] ?? 0) / (norms[r] ?? 1)
      }
    }
    const cNorm = Math.sqrt(centroid.reduce((a, x) => a + x * x, 0)) || 1
    const scored: [number, string][] = []
    for (const r of rows) {
      let dot = 0
      for (let d = 0; d < n; d++) dot += (centroid[d] ?? 0) * (vectors.vectors[r * n + d] ?? 0)
      const cos = dot / (cNorm * (norms[r] ?? 1))
      if (cos >= options.minCosine) scored.push([cos, vectors.words[r] ?? ''])
    }
    scored.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1))
    const out = new Set<string>(seeds)
    for (const [, word] of scored) {
      if (out.size >= seeds.length + options.neighbours) break
      out.add(word)
    }
    return [...out].sort()
  })
}
