import type { CommentStatus } from '../../db/schema'

export type CommentVerdict = {
  status: Exclude<CommentStatus, 'removed'>
  scores: Record<string, number> | null
  reason: string
  model: string | null
  modelVersion: string | null
}

// The one step every new comment goes through before anyone else can see it.
// Until the comment classifier is wired in, every comment is held for a human
// (fail closed): nothing unchecked is ever published.
export async function moderateComment(_env: Env, _text: string): Promise<CommentVerdict> {
  return {
    status: 'held',
    scores: null,
    reason: 'Held until a moderator has checked it',
    model: null,
    modelVersion: null,
  }
}
