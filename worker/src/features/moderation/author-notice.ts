// What an author is told about their own text: the decision and the
// categories in words. Never the scores: a number next to the verdict lets an
// abuser reword a text until it slips under a threshold. The scores stay in
// moderation_events and the moderators' queues.

export const CATEGORY_WORDS: Record<string, string> = {
  S: 'sexual content',
  H: 'hate speech',
  V: 'violence or threats',
  HR: 'harassment',
  SH: 'self-harm',
  S3: 'sexual content involving a minor',
  H2: 'hateful threats',
  V2: 'graphic violence',
}

export const CHECK_UNAVAILABLE = 'Held for review: the automatic check is unavailable'

const words = (categories: readonly string[]) => {
  const names = [...new Set(categories.map((c) => CATEGORY_WORDS[c] ?? c))]
  // Two is enough to tell an author what was wrong; a longer list reads as noise.
  return names.slice(0, 2).join(' and ')
}

/** "Held for review: likely harassment", "Rejected: hate speech", or "Published". */
export function noticeForAuthor(
  decision: 'published' | 'held' | 'rejected',
  flagged: readonly { category: string; level: 'hold' | 'reject' }[],
): string {
  if (decision === 'published') return 'Published'
  if (decision === 'rejected') {
    const rejects = flagged.filter((f) => f.level === 'reject').map((f) => f.category)
    return rejects.length ? `Rejected: ${words(rejects)}` : 'Rejected'
  }
  if (flagged.some((f) => f.category === 'S3')) {
    return 'Held for review: a person must check anything that may involve a minor'
  }
  return flagged.length
    ? `Held for review: likely ${words(flagged.map((f) => f.category))}`
    : 'Held for review'
}

// Decisions made before authors were told words only stored reasons with
// scores: "likely hate (0.45)", "hate (text check, 0.45)", "second check (H 0.85)".
const LEGACY_SCORE = / \((?:[A-Z][A-Z0-9]? )?\d+\.\d+\)|, \d+\.\d+(?=\))/g

/** A stored reason as its author may read it: without any score. */
export function reasonForAuthor(reason: string | null): string | null {
  return reason === null ? null : reason.replace(LEGACY_SCORE, '')
}
