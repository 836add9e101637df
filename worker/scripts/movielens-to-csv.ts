// Converts MovieLens 100k (GroupLens Research, https://grouplens.org/datasets/movielens/100k/)
// into the offline evaluation's CSV format: the check of the engine on a real public log that
// nobody tuned on. The data's licence forbids redistribution, so it is never committed:
// download it and point the script at its files.
//   npm run recs:movielens -- --ratings ml-100k/u.data --movies ml-100k/u.item --out /tmp/ml
//
// - Items: the 19 genre flags become categories (a genre is its own parent); there are no
//   tags or labels, and every film exists from the start (u.item's dates are release dates).
// - Ratings of 4 and 5 are explicit positive weights (4, 5). Ratings of 1 to 3 become a view
//   watched 10%: seen, so never recommended again, but not interest (below the 30% line).
// - Split by time. `--split per-user` (the default) holds out each user's last --test-share
//   of ratings (users with at least 5); `--split global` holds out the last share of the whole
//   log, which in MovieLens leaves few users on both sides (most rate in one sitting).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { CatalogueItem, Interaction } from '../src/features/recommendations/engine'
import { formatInteractions, formatItems } from './lib/recsCsv'

const GENRES = [
  'unknown',
  'action',
  'adventure',
  'animation',
  'childrens',
  'comedy',
  'crime',
  'documentary',
  'drama',
  'fantasy',
  'film-noir',
  'horror',
  'musical',
  'mystery',
  'romance',
  'sci-fi',
  'thriller',
  'war',
  'western',
]

const { values } = parseArgs({
  options: {
    // Comma-separated list: a sample may come in parts.
    ratings: { type: 'string' },
    movies: { type: 'string' },
    out: { type: 'string' },
    'test-share': { type: 'string', default: '0.2' },
    split: { type: 'string', default: 'per-user' },
    help: { type: 'boolean', default: false },
  },
})

if (values.help || !values.ratings || !values.movies || !values.out) {
  console.log(
    'Usage: movielens-to-csv --ratings u.data[,more] --movies u.item --out DIR [--test-share 0.2] [--split per-user|global]\n' +
      'u.data: user, item, rating, timestamp (tab- or comma-separated).\n' +
      'u.item: pipe-separated, the id first and the 19 genre flags last.\n' +
      'Writes DIR/items.csv, DIR/train.csv, DIR/test.csv (format: bench/recs/README.md).',
  )
  process.exit(values.help ? 0 : 1)
}

const lines = (file: string): string[] =>
  readFileSync(file, 'latin1')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')

const items: CatalogueItem[] = []
for (const line of lines(values.movies)) {
  const fields = line.split('|')
  const flags = fields.slice(-GENRES.length)
  const id = fields[0]?.trim() ?? ''
  if (!/^\d+$/.test(id) || flags.length !== GENRES.length) continue
  const genres = GENRES.filter((_, i) => flags[i]?.trim() === '1')
  items.push({
    id: `m${id}`,
    categories: genres,
    parentCategories: genres,
    tags: [],
    labels: [],
    createdAt: 0,
    published: true,
  })
}

const ratings: Interaction[] = []
let skipped = 0
for (const file of values.ratings.split(',')) {
  for (const line of lines(file)) {
    const [user, item, rating, timestamp] = line.split(/[\t,]/).map((f) => f.trim())
    const value = Number(rating)
    if (!/^\d+$/.test(user ?? '') || !/^\d+$/.test(item ?? '') || !(value >= 1 && value <= 5)) {
      skipped++
      continue
    }
    const base = { userId: `u${user}`, itemId: `m${item}`, at: Number(timestamp) * 1000 }
    ratings.push(
      value >= 4
        ? { ...base, kind: 'view', weight: value }
        : { ...base, kind: 'view', watchFraction: 0.1 },
    )
  }
}
ratings.sort((a, b) => a.at - b.at)
const share = Number(values['test-share'])
let train: Interaction[] = []
let test: Interaction[] = []
if (values.split === 'global') {
  const cut = Math.floor(ratings.length * (1 - share))
  train = ratings.slice(0, cut)
  test = ratings.slice(cut)
} else {
  const byUser = new Map<string, Interaction[]>()
  for (const r of ratings) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r])
  for (const history of byUser.values()) {
    const held = history.length >= 5 ? Math.ceil(history.length * share) : 0
    train.push(...history.slice(0, history.length - held))
    test.push(...history.slice(history.length - held))
  }
  train.sort((a, b) => a.at - b.at)
  test.sort((a, b) => a.at - b.at)
}

mkdirSync(values.out, { recursive: true })
writeFileSync(join(values.out, 'items.csv'), formatItems(items))
writeFileSync(join(values.out, 'train.csv'), formatInteractions(train))
writeFileSync(join(values.out, 'test.csv'), formatInteractions(test))
console.log(
  JSON.stringify({
    out: values.out,
    items: items.length,
    users: new Set(ratings.map((r) => r.userId)).size,
    ratings: ratings.length,
    skippedLines: skipped,
    positiveShare:
      Math.round((ratings.filter((r) => r.weight).length / ratings.length) * 1000) / 1000,
    train: train.length,
    test: test.length,
    split: values.split,
    lastTrainRating: new Date(train[train.length - 1]?.at ?? 0).toISOString(),
  }),
)
