// Where the data and artifacts live, and the one way to load the labelled corpus (training and
// tests share it, so the test split the tests check is the one the report describes). Node only.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ClassifierMetadata } from './artifact'
import { isClassifierMetadata } from './artifact'
import {
  deduplicate,
  loadConvAbuse,
  loadDavidson,
  loadHandWritten,
  loadJigsawOutOfDomain,
  loadRedditCssrs,
  type Example,
  type OutOfDomainRow,
} from './datasets'

export const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const REPO_ROOT = resolve(MODELS_DIR, '..')
// The data stays in the shared folder beside the repo; it is never copied into the project.
export const DATA_DIR =
  process.env.MODERATION_DATA_DIR ?? resolve(REPO_ROOT, '../shared/data/moderation')
export const ARTIFACTS_DIR = join(MODELS_DIR, 'artifacts')
export const ONNX_PATH = join(ARTIFACTS_DIR, 'comment-classifier.onnx')
export const METADATA_PATH = join(ARTIFACTS_DIR, 'comment-classifier.json')

/** Loss weight of team-written rows, the only ones written as video comments. */
export const TEAM_WEIGHT = 3

export const TEAM_SOURCES = [
  { file: 'violence-statements.jsonl', source: 'team-violence' },
  { file: 'self-harm-statements.jsonl', source: 'team-self-harm' },
  { file: 'benign-comments.jsonl', source: 'team-benign' },
]

/** Every labelled example, deduplicated, in a fixed order. */
export function loadAllExamples(): { examples: Example[]; raw: number; dropped: number } {
  const raw = [
    ...loadDavidson(DATA_DIR),
    ...loadConvAbuse(DATA_DIR),
    ...loadRedditCssrs(DATA_DIR),
    ...TEAM_SOURCES.flatMap(({ file, source }) =>
      loadHandWritten(join(MODELS_DIR, 'data', file), source, TEAM_WEIGHT),
    ),
  ]
  const { unique, dropped } = deduplicate(raw)
  return { examples: unique, raw: raw.length, dropped }
}

/** The Jigsaw sample, never trained on: out-of-domain any-violation check. */
export function loadOutOfDomain(): OutOfDomainRow[] {
  return loadJigsawOutOfDomain(DATA_DIR)
}

/** Ordinary comments never trained on: the false-alarm probe. */
export function loadBenignProbe(): string[] {
  return loadHandWritten(join(MODELS_DIR, 'data', 'benign-probe.jsonl'), 'probe').map((e) => e.text)
}

export function readMetadata(path = METADATA_PATH): ClassifierMetadata {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
  if (!isClassifierMetadata(parsed)) throw new Error(`${path} is not classifier metadata`)
  return parsed
}
