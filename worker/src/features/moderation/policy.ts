import { desc, eq } from 'drizzle-orm'
import { z } from 'zod'
import metadataJson from '../../../../models/artifacts/comment-classifier.json'
import type { ClassifierMetadata } from '../../../../models/src/artifact'
import type { Db } from '../../db/client'
import { moderationPolicies } from '../../db/schema'

// Moderation thresholds, versioned in D1 (every save is a new row) and cached
// in KV. Version 0 is the built-in default below.

export const CATEGORIES = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2'] as const
export type Category = (typeof CATEGORIES)[number]

const level = z.number().min(0).max(1).nullable()
const reviewBlock = z.object({ review: level, block: level })
const holdReject = z.object({ hold: level, reject: level })
const perCategory = <T extends z.ZodType>(shape: T) =>
  z.object(Object.fromEntries(CATEGORIES.map((c) => [c, shape])) as Record<Category, T>)

export const videoThresholds = z.object({
  gemini: perCategory(reviewBlock),
  // nsfwjs: S from Porn + Hentai, `suggestive` from Sexy; on the max over frames.
  frames: z.object({ S: reviewBlock, suggestive: reviewBlock }),
  text: perCategory(reviewBlock),
})
export const commentThresholds = perCategory(holdReject)
export type VideoThresholds = z.infer<typeof videoThresholds>
export type CommentThresholds = z.infer<typeof commentThresholds>

const both = (review: number | null, block: number | null) => ({ review, block })

// Defaults, and why (see README "Moderation policy"):
// - Gemini scores are probabilities the model states for each category; 0.5
//   sends to a person, 0.85 blocks. S3 (minors) goes to review at any
//   non-trivial score and is never auto-published.
// - Frames: nsfwjs is a weak signal (false positives on skin, beaches, sport,
//   and on abstract renders: a Mandelbrot zoom scores S 0.98, almost all of it
//   Hentai). Measured on generated ordinary frames (bench/moderation/frames.ts),
//   the old levels (review 0.6, block 0.97) held 2 of 15 clips and rejected one;
//   the highest ordinary frame was S 0.979. So frames alone never reject (Gemini,
//   the text check or a person do) and ask a person only from 0.99; the creator
//   is told only that a check is pending. "suggestive" never blocks.
// - Text: the comment classifier's calibrated levels, as for comments.
export const DEFAULT_VIDEO_THRESHOLDS: VideoThresholds = {
  gemini: {
    S: both(0.5, 0.85),
    H: both(0.5, 0.85),
    V: both(0.5, 0.9),
    HR: both(0.5, 0.9),
    SH: both(0.4, 0.85),
    S3: both(0.05, 0.5),
    H2: both(0.4, 0.8),
    V2: both(0.4, 0.85),
  },
  frames: { S: both(0.99, null), suggestive: both(0.85, null) },
  // The comment classifier's own calibrated levels (hold at 60% precision,
  // reject at 90%), applied to title + description + tags.
  text: Object.fromEntries(
    CATEGORIES.map((c) => {
      const t = (metadataJson as ClassifierMetadata).thresholds[c]
      return [c, both(t.hold, t.reject)]
    }),
  ) as VideoThresholds['text'],
}

export const DEFAULT_COMMENT_THRESHOLDS: CommentThresholds = (metadataJson as ClassifierMetadata)
  .thresholds

export type Policy<K extends 'video' | 'comment'> = {
  kind: K
  version: number
  thresholds: K extends 'video' ? VideoThresholds : CommentThresholds
  createdAt: number | null
}

/** Where the current policy of a kind is cached in CONFIG (read before D1). */
export const policyCacheKey = (kind: string) => `policy:${kind}`

export async function loadPolicy<K extends 'video' | 'comment'>(
  env: Env,
  db: Db,
  kind: K,
): Promise<Policy<K>> {
  const cached = await env.CONFIG.get<Policy<K>>(policyCacheKey(kind), 'json')
  if (cached) return cached
  const [row] = await db
    .select()
    .from(moderationPolicies)
    .where(eq(moderationPolicies.kind, kind))
    .orderBy(desc(moderationPolicies.version))
    .limit(1)
  const policy = (
    row
      ? {
          kind,
          version: row.version,
          thresholds: JSON.parse(row.thresholds),
          createdAt: row.createdAt,
        }
      : {
          kind,
          version: 0,
          thresholds: kind === 'video' ? DEFAULT_VIDEO_THRESHOLDS : DEFAULT_COMMENT_THRESHOLDS,
          createdAt: null,
        }
  ) as Policy<K>
  await env.CONFIG.put(policyCacheKey(kind), JSON.stringify(policy), { expirationTtl: 300 })
  return policy
}

export async function savePolicy(
  env: Env,
  db: Db,
  kind: 'video' | 'comment',
  thresholds: VideoThresholds | CommentThresholds,
  note: string,
  actorId: string,
) {
  const [row] = await db
    .insert(moderationPolicies)
    .values({ kind, thresholds: JSON.stringify(thresholds), note, createdBy: actorId })
    .returning()
  await env.CONFIG.delete(policyCacheKey(kind))
  return row
}
