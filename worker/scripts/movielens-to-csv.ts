// Converts MovieLens "latest-small" (GroupLens; ../shared/data/interactions/movielens-latest-small)
// into the offline evaluation's CSV format. Its licence allows research use but not
// redistribution, so it is read from the shared folder and the output goes outside the repo:
//   npm run recs:movielens -- --out /tmp/ml
//
// - Items: the genres become categories (each its own parent); every film exists from the
//   start (the log has no upload times, and films are rated long after release).
// - `--relevance all` (default): every rating is an interaction, weighted by its stars
//   (written as 1 + stars so no value reads as a watch fraction): someone chose to watch and
//   rate the film, the implicit-feedback protocol public rankings of this log use.
//   `--relevance liked`: 4 stars and up are interest, lower ratings a 10% view (seen, never
//   recommended again, not interest), as the shared SOURCE.md suggests.
// - Each user's last --test-share of ratings by time is the test set (users with 5 or more).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { CatalogueItem, Interaction } from '../src/features/recommendations/engine'
import { splitPerUserByTime } from './lib/logSplit'
import { formatInteractions, formatItems, parseCsv } from './lib/recsCsv'

const defaultDir = join(
  import.meta.dirname,
  '../../../shared/data/interactions/movielens-latest-small',
)

const { values } = parseArgs({
  options: {
    ratings: { type: 'string', default: join(defaultDir, 'ratings.csv') },
    movies: { type: 'string', default: join(defaultDir, 'movies.csv') },
    out: { type: 'string' },
    'test-share': { type: 'string', default: '0.2' },
    relevance: { type: 'string', default: 'all' },
    help: { type: 'boolean', default: false },
  },
})

if (values.help || !values.out || !['all', 'liked'].includes(values.relevance)) {
  console.log(
    'Usage: movielens-to-csv --out DIR [--ratings ratings.csv] [--movies movies.csv] [--test-share 0.2] [--relevance all|liked]\n' +
      'ratings.csv: userId,movieId,rating,timestamp; movies.csv: movieId,title,genres (|-separated).\n' +
      `Defaults read ${defaultDir}.\n` +
      'Writes DIR/items.csv, DIR/train.csv, DIR/test.csv (format: bench/recs/README.md).',
  )
  process.exit(values.help ? 0 : 1)
}

const rows = (file: string): string[][] => parseCsv(readFileSync(file, 'utf8')).slice(1)

const items: CatalogueItem[] = []
for (const [id, , genres] of rows(values.movies)) {
  if (!id || !/^\d+$/.test(id.trim())) continue
  const categories = (genres ?? '')
    .split('|')
    .map((g) => g.trim().toLowerCase())
    .filter((g) => g !== '' && g !== '(no genres listed)')
  items.push({
    id: `m${id.trim()}`,
    categories,
    parentCategories: categories,
    tags: [],
    labels: [],
    createdAt: 0,
    published: true,
  })
}

const log: Interaction[] = []
let skipped = 0
for (const [user, item, rating, timestamp] of rows(values.ratings)) {
  const stars = Number(rating)
  if (!/^\d+$/.test(user ?? '') || !/^\d+$/.test(item ?? '') || !(stars > 0 && stars <= 5)) {
    skipped++
    continue
  }
  const base = { userId: `u${user}`, itemId: `m${item}`, kind: 'view' as const }
  const at = Number(timestamp) * 1000
  if (values.relevance === 'all') log.push({ ...base, at, weight: 1 + stars })
  else if (stars >= 4) log.push({ ...base, at, weight: stars })
  else log.push({ ...base, at, watchFraction: 0.1 })
}

const { train, test } = splitPerUserByTime(log, Number(values['test-share']))
mkdirSync(values.out, { recursive: true })
writeFileSync(join(values.out, 'items.csv'), formatItems(items))
writeFileSync(join(values.out, 'train.csv'), formatInteractions(train))
writeFileSync(join(values.out, 'test.csv'), formatInteractions(test))
console.log(
  JSON.stringify({
    out: values.out,
    items: items.length,
    users: new Set(log.map((r) => r.userId)).size,
    ratings: log.length,
    skippedLines: skipped,
    relevance: values.relevance,
    train: train.length,
    test: test.length,
  }),
)
