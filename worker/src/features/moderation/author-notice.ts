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

// What a creator reads when only the frame check holds a clip: that a check is pending, nothing
// more. The frame classifier misfires on ordinary footage (fractals, skin-coloured gradients: see
// bench/moderation/frames.ts), so its category and timestamps would tell a creator something false.
export const FRAME_CHECK_PENDING =
  'A check is pending: a moderator will look at this video before it is published'

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

// Video reasons stored before frame-check holds were told as a pending check named the
// category and the frame timestamps: "A moderator will review this video: sexual content around
// 0:07, 0:08, 0:06 (frame check)". The frame classifier misfires on ordinary footage, so an
// author reads none of that, only what a frame-check hold says now.
const REVIEW_HEAD = 'A moderator will review this video: '

function withoutFrameCheck(reason: string): string {
  if (!reason.includes('(frame check')) return reason
  const colon = reason.indexOf(': ')
  if (colon < 0) return reason
  const head = reason.slice(0, colon + 2)
  const items = reason.slice(colon + 2).split('; ')
  if (head === REVIEW_HEAD) {
    const kept = items.filter((item) => !item.includes('(frame check'))
    return kept.length ? head + kept.join('; ') : FRAME_CHECK_PENDING
  }
  // A rejection keeps its category but not the frame timestamps.
  return (
    head +
    items
      .map((item) =>
        item.includes('(frame check') ? item.replace(/ around \d+:\d\d(?:, \d+:\d\d)*/, '') : item,
      )
      .join('; ')
  )
}

/** A stored reason as its author may read it: without any score or frame-check detail. */
export function reasonForAuthor(reason: string | null): string | null {
  return reason === null ? null : withoutFrameCheck(reason.replace(LEGACY_SCORE, ''))
}
