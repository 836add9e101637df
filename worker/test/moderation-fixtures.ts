import { env } from 'cloudflare:workers'
import { inject } from 'vitest'
import { eq } from 'drizzle-orm'
import { videos } from '../src/db/schema'
import {
  DEFAULT_COMMENT_THRESHOLDS,
  policyCacheKey,
  type CommentThresholds,
} from '../src/features/moderation/policy'
import { db, makeVideo } from './helpers'

declare module 'vitest' {
  export interface ProvidedContext {
    geminiStandInUrl: string
  }
}

const standIn = () => inject('geminiStandInUrl')

// An env whose Gemini is the local stand-in, with a model name of its own so
// scripts of parallel tests never mix.
export function geminiEnv(model = `test-${crypto.randomUUID().slice(0, 8)}`) {
  return {
    env: {
      ...env,
      GEMINI_API_KEY: 'test-key',
      GEMINI_MODEL: model,
      GEMINI_BASE_URL: standIn(),
      GEMINI_TIMEOUT_SECONDS: '1',
    } as unknown as Env,
    model,
  }
}

export async function script(model: string, responses: unknown[]) {
  await fetch(`${standIn()}/__control/script`, {
    method: 'POST',
    body: JSON.stringify({ model, responses }),
  })
}

export async function requestsSeen(model: string) {
  const res = await fetch(`${standIn()}/__control/requests?model=${encodeURIComponent(model)}`)
  return (
    (await res.json()) as { requests: { images: number; texts: string[]; hasSchema: boolean }[] }
  ).requests
}

const SAFE_FRAME = { Porn: 0.01, Hentai: 0.0, Sexy: 0.02, Neutral: 0.95, Drawing: 0.02 }

// A video as the transcoder leaves it: `moderating`, with media and frames.
export async function moderatingVideo(
  creatorId: string,
  opts: {
    title?: string
    description?: string
    frameScores?: Record<string, number>[] | null
  } = {},
) {
  const id = await makeVideo(creatorId, {
    status: 'moderating',
    title: opts.title ?? 'Sunday pancakes',
  })
  const frameScores =
    opts.frameScores === undefined ? [SAFE_FRAME, SAFE_FRAME, SAFE_FRAME] : opts.frameScores
  const frames = (frameScores ?? [null, null]).map((scores, i) => ({
    path: `frames/${String(i + 1).padStart(4, '0')}.jpg`,
    timeSeconds: i,
    scores,
  }))
  for (const f of frames)
    await env.MEDIA.put(`videos/${id}/${f.path}`, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))
  const media = {
    probe: { durationSeconds: 3, width: 720, height: 1280 },
    master: 'hls/master.m3u8',
    renditions: [{ name: '480p', width: 480, height: 854, bandwidth: 1 }],
    poster: 'poster.jpg',
    sprite: null,
    frames,
    frameClassifier: frameScores ? { name: 'nsfwjs', version: '4.3.0' } : null,
  }
  await db()
    .update(videos)
    .set({
      media: JSON.stringify(media),
      description: opts.description ?? 'Fluffy pancakes in two minutes',
    })
    .where(eq(videos.id, id))
  return id
}

/**
 * Runs `fn` under a comment policy with some categories' thresholds replaced, as a moderator's
 * saved policy would be (policy.ts reads the policy from CONFIG first). For tests about the review
 * flow rather than about the model: which texts the shipped model holds moves with every
 * retraining, and a test that needs "held, not rejected" should not depend on where one mild
 * insult lands between two calibrated thresholds.
 */
export async function withCommentThresholds<T>(
  overrides: Partial<CommentThresholds>,
  fn: () => Promise<T>,
): Promise<T> {
  const thresholds = { ...DEFAULT_COMMENT_THRESHOLDS, ...overrides }
  await env.CONFIG.put(
    policyCacheKey('comment'),
    JSON.stringify({ kind: 'comment', version: 998, thresholds, createdAt: null }),
  )
  try {
    return await fn()
  } finally {
    await env.CONFIG.delete(policyCacheKey('comment'))
  }
}

/** A harassment band wide enough that a mild insult ("you're annoying") is held, not rejected. */
export const MILD_HARASSMENT_HELD = { HR: { hold: 0.2, reject: 0.99 } } as const
