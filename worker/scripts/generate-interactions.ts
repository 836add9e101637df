// Writes a synthetic catalogue and interaction log in the evaluation CSV format:
//   npm run gen:interactions -- --out bench/recs/data --seed 7 --items 5000 --users 1000

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { formatInteractions, formatItems } from './lib/recsCsv'
import { defaultSyntheticOptions, generateSyntheticDataset } from './lib/syntheticInteractions'

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench/recs/data' },
    seed: { type: 'string', default: String(defaultSyntheticOptions.seed) },
    items: { type: 'string', default: String(defaultSyntheticOptions.items) },
    users: { type: 'string', default: String(defaultSyntheticOptions.users) },
    interactions: { type: 'string', default: String(defaultSyntheticOptions.interactions) },
    days: { type: 'string', default: String(defaultSyntheticOptions.days) },
    'test-days': { type: 'string', default: String(defaultSyntheticOptions.testDays) },
    help: { type: 'boolean', default: false },
  },
})

if (values.help) {
  console.log(
    'Usage: generate-interactions [--out DIR] [--seed N] [--items N] [--users N] [--interactions N] [--days N] [--test-days N]\n' +
      'Writes DIR/items.csv, DIR/train.csv, DIR/test.csv (format: bench/recs/README.md).',
  )
  process.exit(0)
}

const dataset = generateSyntheticDataset({
  seed: Number(values.seed),
  items: Number(values.items),
  users: Number(values.users),
  interactions: Number(values.interactions),
  days: Number(values.days),
  testDays: Number(values['test-days']),
})
mkdirSync(values.out, { recursive: true })
writeFileSync(join(values.out, 'items.csv'), formatItems(dataset.items))
writeFileSync(join(values.out, 'train.csv'), formatInteractions(dataset.train))
writeFileSync(join(values.out, 'test.csv'), formatInteractions(dataset.test))
console.log(
  JSON.stringify({
    out: values.out,
    items: dataset.items.length,
    train: dataset.train.length,
    test: dataset.test.length,
    cutoff: new Date(dataset.cutoff).toISOString(),
  }),
)
