// Loads the labelled sets from ../shared/data/moderation with the mappings in each SOURCE.md and
// the lessons in TOOLCHAIN.md ("Data for the comment classifier"). Node only: training time.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCsv, parsePythonStringList } from './csv'
import { normalizeText } from './featurize'
import { LABELS, type Label } from './labels'
import { SELF_HARM, countMatches } from './lexicons'

/** Per label: 1 positive, 0 negative, -1 unknown (excluded from that head's loss and metrics). */
export type Targets = Int8Array

export interface Example {
  text: string
  source: string
  targets: Targets
  /** Loss weight, e.g. down-weighted untargeted profanity. */
  weight: number
  /** Stratum for the split: source plus the example's main label. */
  stratum: string
}

// Heads trained from data. S3 and H2 are derived by rule in the graph, V2 has no data at all.
export const TRAINED_LABELS: readonly Label[] = ['S', 'H', 'V', 'HR', 'SH']

function targets(positive: readonly Label[], unknown: readonly Label[] = []): Targets {
  const t = new Int8Array(LABELS.length)
  LABELS.forEach((label, i) => {
    if (!TRAINED_LABELS.includes(label)) t[i] = -1
    else if (positive.includes(label)) t[i] = 1
    else if (unknown.includes(label)) t[i] = -1
  })
  return t
}

function example(
  text: string,
  source: string,
  positive: readonly Label[],
  options: { unknown?: readonly Label[]; weight?: number; note?: string } = {},
): Example {
  const main = positive.length > 0 ? positive.join('+') : 'OK'
  return {
    text,
    source,
    targets: targets(positive, options.unknown),
    weight: options.weight ?? 1,
    stratum: `${source}:${options.note ?? main}`,
  }
}

const ADDRESSES_SOMEONE = /\b(you|your|youre|yours|yourself|u|ur|ya)\b|(^|\s)@\w+/i

/** Davidson et al.: 0 hate -> H; 1 offensive -> HR only if it addresses someone; 2 -> OK. */
export function loadDavidson(dir: string): Example[] {
  const rows = parseCsv(readFileSync(join(dir, 'davidson-hate-offensive/labeled_data.csv'), 'utf8'))
  return rows.map((row) => {
    const text = row.tweet ?? ''
    const withoutRetweet = text.replace(/\brt @\w+:?/gi, ' ')
    if (row.class === '0') return example(text, 'davidson', ['H'])
    if (row.class === '1') {
      // Offensive tweets that some annotator called hate are not clean negatives for H.
      const unknown: Label[] = Number(row.hate_speech ?? '0') > 0 ? ['H'] : []
      if (ADDRESSES_SOMEONE.test(withoutRetweet)) {
        return example(text, 'davidson', ['HR'], { unknown, note: 'HR-targeted' })
      }
      // Untargeted profanity is OK in our taxonomy, but the annotators found it offensive, so it
      // teaches little: keep it as a down-weighted negative.
      return example(text, 'davidson', [], { unknown, weight: 0.3, note: 'offensive-untargeted' })
    }
    return example(text, 'davidson', [])
  })
}

const CONVABUSE_FILES = [
  'ConvAbuseEMNLPtrain.csv',
  'ConvAbuseEMNLPvalid.csv',
  'ConvAbuseEMNLPtest.csv',
]

/** ConvAbuse: majority vote over the annotators who labelled each message. */
export function loadConvAbuse(dir: string): Example[] {
  const out: Example[] = []
  for (const file of CONVABUSE_FILES) {
    for (const row of parseCsv(readFileSync(join(dir, 'convabuse', file), 'utf8'))) {
      let annotators = 0
      let abusive = 0
      let clean = 0
      const votes = new Map<string, number>()
      for (let a = 1; a <= 8; a++) {
        const p = `Annotator${a}_`
        const cells = ['1', '0', '-1', '-2', '-3'].map((v) => row[`${p}is_abuse.${v}`] ?? '')
        if (cells.every((c) => c === '')) continue
        annotators++
        if (cells[0] === '1') clean++
        if (cells.slice(2).some((c) => c === '1')) abusive++
        for (const kind of [
          'sex_harassment',
          'sexist',
          'racist',
          'homophobic',
          'transphobic',
          'ableist',
          'intellectual',
          'target.individual',
        ]) {
          if (row[`${p}${kind}`] === '1') votes.set(kind, (votes.get(kind) ?? 0) + 1)
        }
      }
      const text = row.user ?? ''
      if (annotators === 0 || text.trim() === '') continue
      if (clean * 2 > annotators) {
        out.push(example(text, 'convabuse', []))
        continue
      }
      if (abusive * 2 <= annotators) continue
      const half = (kind: string): boolean => (votes.get(kind) ?? 0) * 2 >= annotators
      const positive = new Set<Label>()
      if (half('sex_harassment')) positive.add('S').add('HR')
      if (['sexist', 'racist', 'homophobic', 'transphobic', 'ableist'].some(half)) positive.add('H')
      if (half('intellectual') || half('target.individual')) positive.add('HR')
      // Abusive without a mapped type: we cannot say which head it belongs to.
      const unknown: Label[] = positive.size === 0 ? ['S', 'H', 'HR'] : []
      out.push(example(text, 'convabuse', [...positive], { unknown, note: 'abusive' }))
    }
  }
  return out
}

export interface OutOfDomainRow {
  text: string
  /** Any Jigsaw label (toxic, severe_toxic, obscene, threat, insult, identity_hate). */
  toxic: boolean
}

/**
 * Jigsaw sample (101 Wikipedia talk comments): too small to train on, and the only comments from
 * a different site, so it is kept out of training entirely as an out-of-domain check.
 */
export function loadJigsawOutOfDomain(dir: string): OutOfDomainRow[] {
  const rows = parseCsv(readFileSync(join(dir, 'jigsaw-toxic-sample/test_examples.csv'), 'utf8'))
  const kinds = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']
  return rows.map((row) => ({
    text: row.comment_text ?? '',
    toxic: kinds.some((k) => row[k] === '1'),
  }))
}

/**
 * Reddit C-SSRS is user-level. Split users into posts; from at-risk users keep only posts that
 * speak of self-harm (SH); the Supportive users' posts are benign long-form personal writing (OK).
 * Indicator users are ambiguous and skipped.
 */
export function loadRedditCssrs(dir: string): Example[] {
  const path = join(dir, 'reddit-cssrs/500_Reddit_users_posts_labels.csv')
  const out: Example[] = []
  for (const row of parseCsv(readFileSync(path, 'utf8'))) {
    const label = row.Label ?? ''
    const posts = parsePythonStringList(row.Post ?? '').filter((p) => p.trim().length >= 20)
    for (const post of posts) {
      const mentionsSelfHarm = countMatches(normalizeText(post), SELF_HARM) > 0
      if (['Ideation', 'Behavior', 'Attempt'].includes(label)) {
        if (mentionsSelfHarm) out.push(example(post, 'reddit-cssrs', ['SH']))
      } else if (label === 'Supportive') {
        out.push(example(post, 'reddit-cssrs', []))
      }
    }
  }
  return out
}

interface HandWrittenLine {
  text: string
  labels: Label[]
}

function isHandWrittenLine(value: unknown): value is HandWrittenLine {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.text === 'string' &&
    Array.isArray(v.labels) &&
    v.labels.every((l) => typeof l === 'string' && (LABELS as readonly string[]).includes(l))
  )
}

/**
 * Team-written JSON lines in models/data/ ({"text": ..., "labels": [...]}). They are the only rows
 * written as video comments, so they count `weight` times (the public sets are tweets, chatbot
 * messages and forum posts).
 */
export function loadHandWritten(path: string, source: string, weight = 1): Example[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed: unknown = JSON.parse(line)
      if (!isHandWrittenLine(parsed)) throw new Error(`${path}: bad line ${line}`)
      return example(parsed.text, source, parsed.labels, { weight })
    })
}

/** Merges duplicates (same normalised text): union of positives, lowest weight. Order is stable. */
export function deduplicate(examples: readonly Example[]): { unique: Example[]; dropped: number } {
  const byKey = new Map<string, Example>()
  for (const ex of examples) {
    const key = normalizeText(ex.text)
    if (key === '') continue
    const seen = byKey.get(key)
    if (seen === undefined) {
      byKey.set(key, { ...ex, targets: Int8Array.from(ex.targets) })
      continue
    }
    for (let i = 0; i < LABELS.length; i++) {
      const a = seen.targets[i] ?? -1
      const b = ex.targets[i] ?? -1
      seen.targets[i] = a === 1 || b === 1 ? 1 : a === 0 || b === 0 ? 0 : -1
    }
    seen.weight = Math.min(seen.weight, ex.weight)
  }
  return { unique: [...byKey.values()], dropped: examples.length - byKey.size }
}
