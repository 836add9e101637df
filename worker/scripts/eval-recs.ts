// Offline evaluation of the recommendation engine against popularity, the seed's formula and
// item-kNN, using the production ranking code:
//   npm run eval:recs -- --items items.csv --train train.csv --test test.csv --k 10 [--tune]

import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  compareRecommenders,
  defaultEngineSettings,
  tunedEngineSettings,
  tuneEngine,
} from './lib/offlineEvaluation'
import {
  INTERACTIONS_HEADER,
  ITEMS_HEADER,
  parseInteractions,
  parseItems,
  type ValueMode,
} from './lib/recsCsv'

const help = `Usage: eval-recs --items FILE --train FILE --test FILE [--k 10] [--value auto|watch|weight] [--tune]

items.csv     ${ITEMS_HEADER}
  categories and tags are ;-separated; a category "music/rock" has parent "music";
  created_at is ISO 8601 or epoch seconds/ms; labels (moderation labels) is optional.
train/test    ${INTERACTIONS_HEADER}
  one row per interaction; a value in 0..1 is the watch fraction of a view (>= 0.3 counts
  as interest), a larger value an explicit weight (e.g. a rating); --value forces one reading.

The model is trained on --train as of its last timestamp; items created later are not
candidates. Relevant = positive test interactions of users with train history, on items
they had not seen. Prints JSON: NDCG@k, Recall@k, catalogue coverage, novelty (mean
-log2 popularity) for the engine ("tuned": the recorded tuned settings; "defaults": the
code's defaults, 0.7 x similarity + 0.3 x engagement) and the baselines. --tune also
grid-searches on the last 15% of --train and evaluates the winner on --test ("tunedHere").`

const { values } = parseArgs({
  options: {
    items: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    k: { type: 'string', default: '10' },
    value: { type: 'string', default: 'auto' },
    tune: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})

if (values.help || !values.items || !values.train || !values.test) {
  console.log(help)
  process.exit(values.help ? 0 : 1)
}

const mode = values.value as ValueMode
const items = parseItems(readFileSync(values.items, 'utf8'))
const train = parseInteractions(readFileSync(values.train, 'utf8'), mode)
const test = parseInteractions(readFileSync(values.test, 'utf8'), mode)
const k = Number(values.k)
const started = performance.now()
const tuning = values.tune ? tuneEngine(items, train, k) : undefined
const result = compareRecommenders(items, train, test, k, {
  tuned: tunedEngineSettings,
  defaults: defaultEngineSettings,
  ...(tuning ? { tunedHere: tuning.best } : {}),
})
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
