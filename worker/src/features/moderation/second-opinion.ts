import { and, eq } from 'drizzle-orm'
import { createDb } from '../../db/client'
import { comments } from '../../db/schema'
import { refreshCommentCount } from '../comments/count'
import { noticeForAuthor } from './author-notice'
import { moderationEventInsert } from './events'
import { askGemini, geminiOptions } from './gemini'

// A published comment that a second opinion scores this high is held again.
export const SECOND_OPINION_HOLD = 0.8

// The Workers AI binding, when one is configured (`[ai] binding = "AI"`).
type WorkersAi = { run(model: string, input: unknown): Promise<unknown> }
export const LLAMA_GUARD = '@cf/meta/llama-guard-3-8b'

// Llama Guard's MLCommons hazard codes in our taxonomy.
const HAZARDS: Record<string, string> = {
  S1: 'V',
  S3: 'S',
  S4: 'S3',
  S9: 'V',
  S10: 'H',
  S11: 'SH',
  S12: 'S',
}

type Opinion = { scores: Record<string, number>; explanation: string; model: string }

async function askGeminiAboutComment(env: Env, body: string): Promise<Opinion> {
  const { verdict } = await askGemini(geminiOptions(env), {
    title: '',
    description: '',
    tags: [],
    frames: [],
    categoryChoices: [],
    comment: body,
  })
  return {
    scores: Object.fromEntries(Object.entries(verdict.categories).map(([c, v]) => [c, v.score])),
    explanation: [verdict.summary, ...Object.values(verdict.categories).map((v) => v.explanation)]
      .filter(Boolean)
      .join('\n'),
    model: env.GEMINI_MODEL,
  }
}

// Llama Guard answers safe/unsafe with hazard codes, either as an object or as
// its raw text ("unsafe\nS10"); a flagged hazard scores 1 in our category.
async function askLlamaGuard(ai: WorkersAi, body: string): Promise<Opinion> {
  const out = (await ai.run(LLAMA_GUARD, { messages: [{ role: 'user', content: body }] })) as {
    response?: string | { safe?: boolean; categories?: string[] }
  }
  const response = out.response
  const verdict =
    typeof response === 'string'
      ? { safe: !/unsafe/i.test(response), categories: response.match(/S\d{1,2}/g) ?? [] }
      : { safe: response?.safe !== false, categories: response?.categories ?? [] }
  const scores: Record<string, number> = {}
  if (!verdict.safe) {
    for (const code of verdict.categories) {
      const category = HAZARDS[code]
      if (category) scores[category] = 1
    }
  }
  return {
    scores,
    explanation: verdict.safe
      ? 'Llama Guard: safe'
      : `Llama Guard: unsafe (${verdict.categories.join(', ')})`,
    model: LLAMA_GUARD,
  }
}

// Held and borderline comments get a second opinion from Gemini when a key is
// configured, else from Workers AI (Llama Guard) when an AI binding is. It is
// logged for moderators; it can hold a borderline comment that was published,
// but never publishes anything by itself.
export async function secondOpinionOnComment(env: Env, commentId: string) {
  const ai = (env as Env & { AI?: WorkersAi }).AI
  if (!env.GEMINI_API_KEY && !ai) return 'not-configured'
  const db = createDb(env.DB)
  const [comment] = await db.select().from(comments).where(eq(comments.id, commentId))
  if (!comment || (comment.status !== 'held' && comment.status !== 'published')) return 'stale'
  const opinion =
    env.GEMINI_API_KEY || !ai
      ? await askGeminiAboutComment(env, comment.body)
      : await askLlamaGuard(ai, comment.body)
  const worst = Object.entries(opinion.scores).sort((a, b) => b[1] - a[1])[0]
  const flagged = !!worst && worst[1] >= SECOND_OPINION_HOLD
  await moderationEventInsert(db, {
    subjectType: 'comment',
    subjectId: commentId,
    source: 'machine',
    decision: flagged ? 'second-opinion:violation' : 'second-opinion:ok',
    scores: JSON.stringify(opinion.scores),
    explanation: opinion.explanation,
    model: opinion.model,
    modelVersion: opinion.model,
  })
  if (flagged && worst && comment.status === 'published') {
    await db
      .update(comments)
      .set({
        status: 'held',
        // The author reads the category, not the second model's score.
        reason: `${noticeForAuthor('held', [{ category: worst[0], level: 'hold' }])} (second check)`,
        updatedAt: Date.now(),
      })
      .where(and(eq(comments.id, commentId), eq(comments.status, 'published')))
    await refreshCommentCount(db, comment.videoId)
  }
  return flagged ? 'flagged' : 'ok'
}
