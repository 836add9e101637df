// Converts Last.fm HetRec 2k (../shared/data/interactions/lastfm-hetrec-2k; non-commercial
// use, never copied into the project) into the offline evaluation's CSV format:
//   npm run recs:lastfm -- --out /tmp/lastfm
//
// Artists are creators, so the log is closer to a creator platform than films are.
// - Items: each artist's most-assigned tags are its categories (up to --categories) and the
//   next ones its tags. Artists nobody tagged have none (cold content, as on a real platform).
// - Interactions: a user's listening count for an artist, log-damped (1 + ln count) so the
//   heavy tail does not drown everything else; every pair is engagement.
// - The log has no listening times: every pair gets the same time and each user's artists a
//   seeded random order, so the per-user "last by time" split is a random split and the
//   engine sees no recency.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { CatalogueItem, Interaction } from '../src/features/recommendations/engine'
import { shuffleWithinUsers, splitPerUserByTime } from './lib/logSplit'
import { formatInteractions, formatItems } from './lib/recsCsv'

const defaultDir = join(import.meta.dirname, '../../../shared/data/interactions/lastfm-hetrec-2k')

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: defaultDir },
    out: { type: 'string' },
    'test-share': { type: 'string', default: '0.2' },
    categories: { type: 'string', default: '2' },
    seed: { type: 'string', default: '2011' },
    help: { type: 'boolean', default: false },
  },
})

if (values.help || !values.out) {
  console.log(
    'Usage: lastfm-to-csv --out DIR [--dir hetrec-lastfm-2k] [--test-share 0.2] [--categories 2] [--seed 2011]\n' +
      `Reads artists.dat, tags.dat, user_artists.dat, user_taggedartists.dat from ${defaultDir}.\n` +
      'Writes DIR/items.csv, DIR/train.csv, DIR/test.csv (format: bench/recs/README.md).',
  )
  process.exit(values.help ? 0 : 1)
}

const table = (file: string): string[][] =>
  readFileSync(join(values.dir, file), 'latin1')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'))

// Tag names as categories: lower case, no commas or semicolons (the CSV's separators).
const tagName = new Map<string, string>()
for (const [id, value] of table('tags.dat')) {
  const name = (value ?? '')
    .toLowerCase()
    .replace(/[,;/]+/g, ' ')
    .trim()
  if (id && name) tagName.set(id, name.replace(/\s+/g, '-'))
}
const tagCounts = new Map<string, Map<string, number>>()
for (const [, artist, tag] of table('user_taggedartists.dat')) {
  const name = tagName.get(tag ?? '')
  if (!artist || !name) continue
  const counts = tagCounts.get(artist) ?? new Map<string, number>()
  counts.set(name, (counts.get(name) ?? 0) + 1)
  tagCounts.set(artist, counts)
}

const categoryCount = Number(values.categories)
const items: CatalogueItem[] = table('artists.dat')
  .filter(([id]) => id && /^\d+$/.test(id))
  .map(([id]) => {
    const ranked = [...(tagCounts.get(id ?? '') ?? new Map<string, number>()).entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([name]) => name)
    const categories = ranked.slice(0, categoryCount)
    return {
      id: `a${id}`,
      categories,
      parentCategories: categories,
      tags: ranked.slice(categoryCount, categoryCount + 8),
      labels: [],
      createdAt: 0,
      published: true,
    }
  })

const log: Interaction[] = []
for (const [user, artist, count] of table('user_artists.dat')) {
  const plays = Number(count)
  if (!user || !artist || !(plays > 0)) continue
  log.push({
    userId: `u${user}`,
    itemId: `a${artist}`,
    kind: 'view',
    weight: 1 + Math.log(plays),
    at: 0,
  })
}
const shuffled = shuffleWithinUsers(log, Date.UTC(2011, 0, 1), Number(values.seed))
const { train, test } = splitPerUserByTime(shuffled, Number(values['test-share']))
mkdirSync(values.out, { recursive: true })
writeFileSync(join(values.out, 'items.csv'), formatItems(items))
writeFileSync(join(values.out, 'train.csv'), formatInteractions(train))
writeFileSync(join(values.out, 'test.csv'), formatInteractions(test))
console.log(
  JSON.stringify({
    out: values.out,
    items: items.length,
    itemsWithCategories: items.filter((i) => i.categories.length > 0).length,
    users: new Set(log.map((r) => r.userId)).size,
    pairs: log.length,
    train: train.length,
    test: test.length,
  }),
)
