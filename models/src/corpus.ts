// Where the data and artifacts live, and the one way to load the labelled corpus (training and
// tests share it, so the splits the tests check are the ones the report describes). Node only.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ClassifierMetadata } from './artifact'
import { isClassifierMetadata } from './artifact'
import {
  deduplicate,
  loadConvAbuse,
  loadDavidson,
  loadHandWritten,
  loadHateXplain,
  loadImplicitHate,
  loadJigsawOutOfDomain,
  loadRedditCssrs,
  type Example,
  type OutOfDomainRow,
} from './datasets'
import { normalizeText } from './featurize'

export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const REPO_ROOT = resolve(MODELS_DIR, '..')
// The data stays in the shared folder beside the repo; it is never copied into the project.
export const DATA_DIR =
  process.env.MODERATION_DATA_DIR ?? resolve(REPO_ROOT, '../shared/data/moderation')
export const ARTIFACTS_DIR = join(MODELS_DIR, 'artifacts')
export const ONNX_PATH = join(ARTIFACTS_DIR, 'comment-classifier.onnx')
export const METADATA_PATH = join(ARTIFACTS_DIR, 'comment-classifier.json')
export const CACHE_DIR = join(MODELS_DIR, '.cache')
export const TEAM_TRAIN_DIR = join(MODELS_DIR, 'data', 'team-train')
export const TEAM_EVAL_DIR = join(MODELS_DIR, 'data', 'team-eval')
export const UNSEEN_WRITERS_DIR = join(MODELS_DIR, 'data', 'unseen-writers')

/** Loss weight of team-written rows, the only ones written as video comments. */
export const TEAM_WEIGHT = 3

/** The public corpora, each a leave-one-source-out fold. */
export const REAL_SOURCES = [
  'davidson',
  'convabuse',
  'reddit-cssrs',
  'implicit-hate',
  'hatexplain',
] as const

// Written for issue 4 (threat and self-harm statements, ordinary comments); trained on.
const OLDER_TEAM_FILES = [
  { file: 'violence-statements.jsonl', source: 'team-violence-v1' },
  { file: 'self-harm-statements.jsonl', source: 'team-self-harm-v1' },
  { file: 'benign-comments.jsonl', source: 'team-benign-v1' },
]

function jsonlFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f))
}

/** The team's separately written evaluation set: never trained, tuned or calibrated on. */
export function loadTeamEval(): Example[] {
  return jsonlFiles(TEAM_EVAL_DIR).flatMap((path) =>
    loadHandWritten(path, `eval-${basename(path, '.jsonl')}`),
  )
}

/** Writers the model never trained on, one file each (models/data/unseen-writers/README.md). */
export function loadUnseenWriters(): Example[] {
  return jsonlFiles(UNSEEN_WRITERS_DIR).flatMap((path) =>
    loadHandWritten(path, `unseen-${basename(path, '.jsonl')}`),
  )
}

export interface Corpus {
  examples: Example[]
  raw: number
  /** Duplicates (same normalised text) merged. */
  dropped: number
  /** Training rows dropped because the evaluation set has the same normalised text. */
  evalOverlap: number
}

/** Every labelled training example, deduplicated, in a fixed order, minus any eval-set text. */
export function loadAllExamples(): Corpus {
  const raw = [
    ...loadDavidson(DATA_DIR),
    ...loadConvAbuse(DATA_DIR),
    ...loadRedditCssrs(DATA_DIR),
    ...loadImplicitHate(DATA_DIR),
    ...loadHateXplain(DATA_DIR),
    ...OLDER_TEAM_FILES.map(({ file, source }) => ({
      path: join(MODELS_DIR, 'data', file),
      source,
    }))
      .filter(({ path }) => existsSync(path))
      .flatMap(({ path, source }) => loadHandWritten(path, source, TEAM_WEIGHT)),
    ...jsonlFiles(TEAM_TRAIN_DIR).flatMap((path) =>
      loadHandWritten(path, `team-${basename(path, '.jsonl')}`, TEAM_WEIGHT),
    ),
  ]
  const { unique, dropped } = deduplicate(raw)
  const evalTexts = new Set(loadTeamEval().map((e) => normalizeText(e.text)))
  const examples = unique.filter((e) => !evalTexts.has(normalizeText(e.text)))
  return { examples, raw: raw.length, dropped, evalOverlap: unique.length - examples.length }
}

/** The Jigsaw sample, never trained on: a small out-of-domain check. */
export function loadOutOfDomain(): OutOfDomainRow[] {
  return loadJigsawOutOfDomain(DATA_DIR)
}

/** Ordinary comments never trained on (issue 4's probe). */
export function loadBenignProbe(): string[] {
  return loadHandWritten(join(MODELS_DIR, 'data', 'benign-probe.jsonl'), 'probe').map((e) => e.text)
}

export function readMetadata(path = METADATA_PATH): ClassifierMetadata {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
  if (!isClassifierMetadata(parsed)) throw new Error(`${path} is not classifier metadata`)
  return parsed
}
