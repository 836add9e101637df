import type { Moderation } from '../../api/types'

const HEADLINE: Record<Moderation['status'], string> = {
  published: 'Your comment is live.',
  held: 'Your comment is held for review. Only you can see it until a moderator checks it.',
  rejected: 'Your comment was not published.',
}

// What the author learns right after posting: the verdict and, unless it is
// live, the reason in the classifier's or moderator's words.
export function ModerationFeedback({ moderation }: { moderation: Moderation }) {
  return (
    <div
      className={`feedback feedback-${moderation.status}`}
      role={moderation.status === 'published' ? 'status' : 'alert'}
      data-testid="comment-feedback"
    >
      <strong>{HEADLINE[moderation.status]}</strong>
      {moderation.status !== 'published' && moderation.reason && (
        <p className="feedback-reason">Reason: {moderation.reason}</p>
      )}
    </div>
  )
}
