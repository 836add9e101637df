// Offline evaluation of the recommendation engine, through the production ranking code,
// against popularity, the seed's formula, item-kNN (plain and tuned) and EASE:
//   npm run eval:recs -- --items items.csv --train train.csv --test test.csv [--k 10] [--tune] [--no-ease]

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  compareRecommenders,
  defaultEngineSettings,
  tuneBaselines,
  tuneEngine,
  validationSplit,
  type EngineSettings,
} from './lib/offlineEvaluation'
import {
  INTERACTIONS_HEADER,
  ITEMS_HEADER,
  parseInteractions,
  parseItems,
  type ValueMode,
} from './lib/recsCsv'

const help = `Usage: eval-recs --items FILE --train FILE --test FILE [--k 10] [--value auto|watch|weight] [--tune] [--no-ease]

items.csv     ${ITEMS_HEADER}
  categories and tags are ;-separated; a category "music/rock" has parent "music";
  created_at is ISO 8601 or epoch seconds/ms; labels (moderation labels) is optional.
train/test    ${INTERACTIONS_HEADER}
  one row per interaction; a value in 0..1 is the watch fraction of a view (>= 0.3 counts
  as interest), a larger value an explicit weight (e.g. a rating); --value forces one reading.

The model is trained on --train as of its last timestamp; items created later are not
candidates. Relevant = positive test interactions of users with train history, on items
they had not seen. A validation split is cut from --train (each user's last 20% by time):
item-kNN's and EASE's settings are chosen there, and with --tune the engine's grid too
("tunedHere"); test is only used for the final figures. Prints progress on stderr and JSON on
stdout: NDCG@k, Recall@k, catalogue coverage, novelty (mean -log2 popularity) per
recommender, and the engine's paired bootstrap NDCG difference to each baseline.
--no-ease skips EASE (dense, cubic: minutes on large catalogues).`

const { values } = parseArgs({
  options: {
    items: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    k: { type: 'string', default: '10' },
    value: { type: 'string', default: 'auto' },
    tune: { type: 'boolean', default: false },
    'no-ease': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

if (values.help || !values.items || !values.train || !values.test) {
  console.log(help)
  process.exit(values.help ? 0 : 1)
}

const started = performance.now()
const progress = (line: string): void => {
  const seconds = Math.round((performance.now() - started) / 100) / 10
  process.stderr.write(`[${seconds}s] ${line}\n`)
}
const mode = values.value as ValueMode
const items = parseItems(readFileSync(values.items, 'utf8'))
const train = parseInteractions(readFileSync(values.train, 'utf8'), mode)
const test = parseInteractions(readFileSync(values.test, 'utf8'), mode)
const k = Number(values.k)
progress(`read ${items.length} items, ${train.length} train and ${test.length} test interactions`)
const validation = validationSplit(items, train)
const baselines = tuneBaselines(validation, k, { ease: !values['no-ease'] }, progress)
const tuning = values.tune ? tuneEngine(validation, k, progress) : undefined
const engines: Record<string, EngineSettings> = { engine: defaultEngineSettings }
if (tuning) engines.tunedHere = tuning.best
const result = compareRecommenders(
  items,
  train,
  test,
  k,
  engines,
  values['no-ease'] ? { itemKnn: baselines.itemKnn } : baselines,
  progress,
)
console.log(
  JSON.stringify(
    {
      ...result,
      tuning: tuning && {
        best: tuning.best,
        top: [...tuning.grid].sort((a, b) => b.ndcg - a.ndcg).slice(0, 5),
      },
      items: items.length,
      train: train.length,
      test: test.length,
      seconds: Math.round(performance.now() - started) / 1000,
    },
    null,
    2,
  ),
)
