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
  /** What the text is: comment, title, bio (team sets), or post for the public corpora. */
  kind: string
}

// Heads trained from data. S3 is derived by rule in the graph (S x minor signal); nothing sexual
// involving minors is ever written or trained on.
export const TRAINED_LABELS: readonly Label[] = ['S', 'H', 'V', 'HR', 'SH', 'H2', 'V2']

/** Positives as given, listed unknowns -1, every other trained label a known negative. */
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
  options: { unknown?: readonly Label[]; weight?: number; note?: string; kind?: string } = {},
): Example {
  const main = positive.length > 0 ? positive.join('+') : 'OK'
  return {
    text,
    source,
    targets: targets(positive, options.unknown),
    weight: options.weight ?? 1,
    stratum: `${source}:${options.note ?? main}`,
    kind: options.kind ?? 'post',
  }
}

/** Loss weight of offensive posts that address someone, taken as harassment. */
export const ADDRESSED_OFFENSIVE_WEIGHT = 0.5

const ADDRESSES_SOMEONE = /\b(you|your|youre|yours|yourself|u|ur|ya)\b|(^|\s)@\w+/i

/**
 * Davidson et al.: 0 hate -> H; 2 -> OK. 1 offensive is mostly untargeted profanity, which our
 * taxonomy calls OK (TOOLCHAIN.md): only tweets that address someone count as harassment, and at
 * ADDRESSED_OFFENSIVE_WEIGHT (many are banter); the others are 0.3x negatives. Offensive tweets that
 * some annotator called hate are unknown for H and H2.
 */
export function loadDavidson(dir: string): Example[] {
  const rows = parseCsv(readFileSync(join(dir, 'davidson-hate-offensive/labeled_data.csv'), 'utf8'))
  return rows.map((row) => {
    const text = row.tweet ?? ''
    const withoutRetweet = text.replace(/\brt @\w+:?/gi, ' ')
    // Hate tweets say nothing about threats: H2 (hateful threat) is unknown for them.
    if (row.class === '0') return example(text, 'davidson', ['H'], { unknown: ['H2', 'HR'] })
    if (row.class === '1') {
      const unknown: Label[] = Number(row.hate_speech ?? '0') > 0 ? ['H', 'H2'] : []
      if (ADDRESSES_SOMEONE.test(withoutRetweet)) {
        return example(text, 'davidson', ['HR'], {
          unknown,
          weight: ADDRESSED_OFFENSIVE_WEIGHT,
          note: 'offensive-addressed',
        })
      }
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
      const unknown: Label[] =
        positive.size === 0 ? ['S', 'H', 'HR', 'H2'] : positive.has('H') ? ['H2'] : []
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
  kind?: string
}

function isHandWrittenLine(value: unknown): value is HandWrittenLine {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.text === 'string' &&
    Array.isArray(v.labels) &&
    v.labels.every((l) => typeof l === 'string' && (LABELS as readonly string[]).includes(l)) &&
    (v.kind === undefined || typeof v.kind === 'string')
  )
}

/**
 * Team-written JSON lines in models/data/ ({"text", "labels": [...], "kind"}). They are the only
 * rows written as video comments, titles and bios, so they count `weight` times (the public sets are
 * tweets, Gab posts, chatbot messages and forum posts). A file being written while we read it may
 * end in a partial line: that line is skipped, not fatal.
 */
export function loadHandWritten(path: string, source: string, weight = 1): Example[] {
  const lines = readFileSync(path, 'utf8').split('\n')
  const out: Example[] = []
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (error) {
      if (i === lines.length - 1) return
      throw new Error(`${path}:${i + 1}: ${String(error)}`)
    }
    if (!isHandWrittenLine(parsed)) throw new Error(`${path}:${i + 1}: bad line ${line}`)
    out.push(
      example(parsed.text, source, parsed.labels, {
        weight,
        kind: parsed.kind ?? 'comment',
        note: `${parsed.labels.length > 0 ? parsed.labels.join('+') : 'OK'}:${parsed.kind ?? ''}`,
      }),
    )
  })
  return out
}

/** One TSV field of the implicit-hate release: outer quotes dropped, doubled quotes undone. */
function tsvField(field: string): string {
  let f = field.trim()
  if (f.startsWith('"') && f.endsWith('"') && f.length >= 2) f = f.slice(1, -1)
  return f.replace(/""/g, '"').replace(/\s+/g, ' ').trim()
}

function readTsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'))
}

/**
 * Implicit Hate Corpus (ElSherief et al. 2021): explicit and implicit hate -> H; posts the second
 * stage calls threatening -> also V and H2 (a hateful threat); other hate posts say nothing about
 * threats (V, H2 unknown) nor insults at a person (HR unknown); not_hate -> OK.
 */
export function loadImplicitHate(dir: string): Example[] {
  const threatening = new Set<string>()
  for (const [post, cls] of readTsv(join(dir, 'implicit-hate/implicit_hate_v1_stg2_posts.tsv'))) {
    if (cls === 'threatening' && post !== undefined) threatening.add(tsvField(post))
  }
  const out: Example[] = []
  for (const [post, cls] of readTsv(join(dir, 'implicit-hate/implicit_hate_v1_stg1_posts.tsv'))) {
    if (post === undefined) continue
    const text = tsvField(post)
    if (text === '') continue
    const c = (cls ?? '').trim()
    if (c === 'not_hate') out.push(example(text, 'implicit-hate', []))
    else if (c === 'implicit_hate' || c === 'explicit_hate') {
      if (threatening.has(text)) {
        out.push(example(text, 'implicit-hate', ['H', 'V', 'H2'], { unknown: ['HR'] }))
      } else {
        out.push(example(text, 'implicit-hate', ['H'], { unknown: ['V', 'H2', 'HR'], note: c }))
      }
    }
  }
  return out
}

/**
 * HateXplain (majority of 3 annotators; tweets and Gab posts, lower-cased, no punctuation): 1 hate
 * -> H (threat and insult unknown); 2 offensive is often a slur at a group, so it is unknown for H
 * and H2; addressed -> HR at ADDRESSED_OFFENSIVE_WEIGHT, otherwise a 0.3x negative; 0 -> OK;
 * 3 (no majority) skipped.
 */
export function loadHateXplain(dir: string): Example[] {
  const out: Example[] = []
  for (const row of parseCsv(
    readFileSync(join(dir, 'hatexplain/hatexplain-majority.csv'), 'utf8'),
  )) {
    // MBIB replaced @mentions with a bare "user"; ours become "@user" so the normaliser treats
    // them as the same placeholder as production mentions.
    const text = (row.text ?? '').trim().replace(/\buser\b/g, '@user')
    if (text === '') continue
    const category = row.category ?? ''
    if (category === '0') out.push(example(text, 'hatexplain', []))
    else if (category === '1') {
      out.push(example(text, 'hatexplain', ['H'], { unknown: ['V', 'H2', 'HR'] }))
    } else if (category === '2') {
      // Offensive here is often a slur at a group: unknown for H. Addressed -> harassment, as for
      // Davidson; otherwise a 0.3x negative.
      const addressed = /\b(you|your|youre|yourself|u|ur)\b/.test(text)
      out.push(
        addressed
          ? example(text, 'hatexplain', ['HR'], {
              unknown: ['H', 'H2'],
              weight: ADDRESSED_OFFENSIVE_WEIGHT,
              note: 'offensive-addressed',
            })
          : example(text, 'hatexplain', [], {
              unknown: ['H', 'H2'],
              weight: 0.3,
              note: 'offensive',
            }),
      )
    }
  }
  return out
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
