import { and, eq, inArray } from 'drizzle-orm'
import { createDb } from '../../db/client'
import { categories, users, videoCategories, videos, videoTags } from '../../db/schema'
import { COMMENT_MODEL } from '../comments/moderate'
import { transcodeResult } from '../media/callback-routes'
import { moderationEventInsert } from './events'
import { askGemini, geminiOptions, GeminiUnavailable, type GeminiFrame } from './gemini'
import { loadPolicy } from './policy'
import { frameSignals } from './signals'
import { decideVideo, type VideoSignals } from './video-policy'

// Gemini gets at most this many frames (evenly spread): enough to judge a
// clip, small enough for one request.
const GEMINI_MAX_FRAMES = 16

async function loadFrames(
  env: Env,
  videoId: string,
  frames: { path: string; timeSeconds: number }[],
) {
  const step = Math.max(1, Math.ceil(frames.length / GEMINI_MAX_FRAMES))
  const chosen = frames.filter((_, i) => i % step === 0)
  const out: GeminiFrame[] = []
  for (const f of chosen) {
    const object = await env.MEDIA.get(`videos/${videoId}/${f.path}`)
    if (object)
      out.push({ timeSeconds: f.timeSeconds, jpeg: new Uint8Array(await object.arrayBuffer()) })
  }
  return out
}

function strongestScores(all: Record<string, number>[]): Record<string, number> | null {
  if (!all.length) return null
  const out: Record<string, number> = {}
  for (const scores of all) {
    for (const [category, score] of Object.entries(scores)) {
      out[category] = Math.max(out[category] ?? 0, score)
    }
  }
  return out
}

// Screens one video that finished transcoding and decides publish / review /
// reject. Only a video still `moderating` is decided, so redelivered
// messages change nothing twice.
export async function moderateVideo(env: Env, videoId: string) {
  const db = createDb(env.DB)
  const [video] = await db.select().from(videos).where(eq(videos.id, videoId))
  if (!video || video.status !== 'moderating') return 'stale'
  const media = transcodeResult.safeParse(JSON.parse(video.media ?? 'null'))
  const tags = (await db.select().from(videoTags).where(eq(videoTags.videoId, videoId))).map(
    (t) => t.tag,
  )
  const policy = await loadPolicy(env, db, 'video')

  const frames = media.success ? frameSignals(media.data.frames) : null
  let text: Record<string, number> | null = null
  let textModelVersion: string | null = null
  try {
    // Lazy: the wasm runtime loads only where a classification happens.
    const { classifyComments } = await import('../comments/classifier')
    // Each piece on its own as well as together: the model is trained on
    // comment-length text, and one hateful title must not be diluted by a
    // long, harmless description. The strongest score per category counts.
    const pieces = [video.title, video.description, tags.join(' ')].filter((p) => p.trim())
    const results = await classifyComments([...pieces, pieces.join('\n')])
    text = strongestScores(results.map((r) => r.scores))
    textModelVersion = results[0]?.model ?? null
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'error', event: 'text-classifier-failed', error: String(err) }),
    )
  }

  const signals: VideoSignals = {
    gemini: { configured: !!env.GEMINI_API_KEY, verdict: null },
    frames,
    text,
  }
  if (env.GEMINI_API_KEY) {
    const choices = (await db.select({ id: categories.id }).from(categories)).map((c) => c.id)
    try {
      const { verdict } = await askGemini(geminiOptions(env), {
        title: video.title,
        description: video.description,
        tags,
        frames: media.success ? await loadFrames(env, videoId, media.data.frames) : [],
        categoryChoices: choices,
      })
      signals.gemini.verdict = verdict
    } catch (err) {
      signals.gemini.error = err instanceof GeminiUnavailable ? err.message : String(err)
    }
  }

  const decision = decideVideo(signals, policy.thresholds)
  const verdict = signals.gemini.verdict
  const labels = [...new Set([...(verdict?.labels ?? []), ...(verdict?.suggestedCategories ?? [])])]
  const now = Date.now()
  const [creator] = await db
    .select({ banned: users.banned })
    .from(users)
    .where(eq(users.id, video.creatorId))
  const moved = await db
    .update(videos)
    .set({
      status: decision.decision,
      statusReason: decision.decision === 'published' ? null : decision.reason,
      publishedAt: decision.decision === 'published' ? now : null,
      labels: JSON.stringify(labels.slice(0, 20)),
      statusChangedAt: now,
      updatedAt: now,
    })
    // Only from `moderating`: a repeated job that read the row before the first one decided
    // must not decide it again.
    .where(and(eq(videos.id, videoId), eq(videos.status, 'moderating')))
    .returning({ id: videos.id })
  if (!moved.length) return 'stale'
  // Automatic categorisation: a video without categories takes Gemini's
  // suggestions (only ids from our list).
  const existing = await db
    .select()
    .from(videoCategories)
    .where(eq(videoCategories.videoId, videoId))
  const suggested = verdict?.suggestedCategories ?? []
  if (!existing.length && suggested.length) {
    const known = await db
      .select({ id: categories.id })
      .from(categories)
      .where(inArray(categories.id, suggested))
    for (const k of known.slice(0, 3)) {
      await db.insert(videoCategories).values({ videoId, categoryId: k.id }).onConflictDoNothing()
    }
  }
  await moderationEventInsert(db, {
    subjectType: 'video',
    subjectId: videoId,
    source: 'machine',
    decision: decision.decision,
    scores: JSON.stringify({
      gemini: verdict
        ? Object.fromEntries(Object.entries(verdict.categories).map(([c, v]) => [c, v.score]))
        : null,
      geminiTimestamps: verdict
        ? Object.fromEntries(Object.entries(verdict.categories).map(([c, v]) => [c, v.timestamps]))
        : null,
      frames,
      frameTimeline: media.success
        ? media.data.frames.map((f) => ({ t: f.timeSeconds, scores: f.scores }))
        : [],
      text,
      triggers: decision.triggers,
      labels,
      creatorBanned: creator?.banned ?? false,
    }),
    explanation: [
      decision.explanation,
      verdict?.summary,
      ...Object.entries(verdict?.categories ?? {})
        .filter(([, v]) => v.explanation && v.score > 0.1)
        .map(([c, v]) => `${c}: ${v.explanation}`),
      signals.gemini.error ? `Gemini unavailable: ${signals.gemini.error}` : undefined,
    ]
      .filter(Boolean)
      .join('\n'),
    model: [
      env.GEMINI_API_KEY ? env.GEMINI_MODEL : null,
      media.success && media.data.frameClassifier ? 'nsfwjs' : null,
      COMMENT_MODEL,
    ]
      .filter(Boolean)
      .join('+'),
    modelVersion: JSON.stringify({
      gemini: env.GEMINI_API_KEY ? env.GEMINI_MODEL : null,
      frames: media.success ? (media.data.frameClassifier ?? null) : null,
      text: textModelVersion,
    }),
    policyVersion: policy.version,
  })
  return decision.decision
}
