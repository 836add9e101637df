import type { CommentStatus } from '../../db/schema'
import type { Db } from '../../db/client'
import { CHECK_UNAVAILABLE, noticeForAuthor } from '../moderation/author-notice'
import { loadPolicy } from '../moderation/policy'

export type CommentVerdict = {
  status: Exclude<CommentStatus, 'removed'>
  scores: Record<string, number> | null
  flagged: { category: string; score: number; level: 'hold' | 'reject' }[]
  // For the author: the decision and categories in words, no scores.
  reason: string
  // For the moderation log: the classifier's own account, scores included.
  explanation: string
  model: string | null
  modelVersion: string | null
  policyVersion: number | null
  // Worth a second look (held, or published with a score near a threshold).
  borderline: boolean
}

export const COMMENT_MODEL = 'comment-classifier'

// The one step every new comment goes through before anyone else can see it.
// If the classifier cannot run, the comment is held (fail closed): nothing
// unchecked is ever published.
export async function moderateComment(env: Env, db: Db, text: string): Promise<CommentVerdict> {
  const policy = await loadPolicy(env, db, 'comment')
  try {
    // Imported lazily: the wasm runtime costs a few hundred ms to load and
    // only this step needs it.
    const { classifyComments } = await import('./classifier')
    const [result] = await classifyComments([text], policy.thresholds)
    if (!result) throw new Error('classifier returned nothing')
    const nearThreshold = Object.entries(result.scores).some(([category, score]) => {
      const hold = policy.thresholds[category as keyof typeof policy.thresholds]?.hold
      return hold != null && score >= hold * 0.75
    })
    return {
      status: result.decision,
      scores: result.scores,
      flagged: result.flagged,
      reason: noticeForAuthor(result.decision, result.flagged),
      explanation: result.reason,
      model: COMMENT_MODEL,
      modelVersion: result.model,
      policyVersion: policy.version,
      borderline: result.decision === 'held' || (result.decision === 'published' && nearThreshold),
    }
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'error', event: 'comment-classifier-failed', error: String(err) }),
    )
    return {
      status: 'held',
      scores: null,
      flagged: [],
      reason: CHECK_UNAVAILABLE,
      explanation: `Classifier failed: ${String(err)}`,
      model: null,
      modelVersion: null,
      policyVersion: policy.version,
      borderline: true,
    }
  }
}
