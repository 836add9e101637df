import { and, eq } from 'drizzle-orm'
import { createDb } from '../../db/client'
import { comments } from '../../db/schema'
import { refreshCommentCount } from '../comments/routes'
import { moderationEventInsert } from './events'
import { askGemini, geminiOptions } from './gemini'

// A published comment that a second opinion scores this high is held again.
export const SECOND_OPINION_HOLD = 0.8

// Held and borderline comments get a second opinion from Gemini when a key is
// configured. It is logged for moderators; it can hold a borderline comment
// that was published, but never publishes anything by itself.
export async function secondOpinionOnComment(env: Env, commentId: string) {
  if (!env.GEMINI_API_KEY) return 'not-configured'
  const db = createDb(env.DB)
  const [comment] = await db.select().from(comments).where(eq(comments.id, commentId))
  if (!comment || (comment.status !== 'held' && comment.status !== 'published')) return 'stale'
  const { verdict } = await askGemini(geminiOptions(env), {
    title: '',
    description: '',
    tags: [],
    frames: [],
    categoryChoices: [],
    comment: comment.body,
  })
  const scores = Object.fromEntries(
    Object.entries(verdict.categories).map(([c, v]) => [c, v.score]),
  )
  const worst = Object.entries(scores).sort((a, b) => b[1] - a[1])[0]
  const flagged = !!worst && worst[1] >= SECOND_OPINION_HOLD
  await moderationEventInsert(db, {
    subjectType: 'comment',
    subjectId: commentId,
    source: 'machine',
    decision: flagged ? 'second-opinion:violation' : 'second-opinion:ok',
    scores: JSON.stringify(scores),
    explanation: [verdict.summary, ...Object.values(verdict.categories).map((v) => v.explanation)]
      .filter(Boolean)
      .join('\n'),
    model: env.GEMINI_MODEL,
    modelVersion: env.GEMINI_MODEL,
  })
  if (flagged && comment.status === 'published') {
    await db
      .update(comments)
      .set({
        status: 'held',
        reason: `Held for review after a second check (${worst[0]} ${worst[1].toFixed(2)})`,
        updatedAt: Date.now(),
      })
      .where(and(eq(comments.id, commentId), eq(comments.status, 'published')))
    await refreshCommentCount(db, comment.videoId)
  }
  return flagged ? 'flagged' : 'ok'
}
