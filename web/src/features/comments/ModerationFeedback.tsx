import type { Moderation } from '../../api/types'

const FALLBACK: Record<Moderation['status'], string> = {
  published: 'Your comment is live.',
  held: 'Held for review',
  rejected: 'Not published',
}

const WHO_SEES: Record<Moderation['status'], string> = {
  published: '',
  held: 'Only you can see it until a moderator checks it.',
  rejected: 'Only you can see it.',
}

// What the author learns right after posting. The reason already says the
// decision and the category in words ("Held for review: likely harassment"),
// so it is the headline itself, said once.
export function ModerationFeedback({ moderation }: { moderation: Moderation }) {
  const live = moderation.status === 'published'
  return (
    <div
      className={`feedback feedback-${moderation.status}`}
      role={live ? 'status' : 'alert'}
      data-testid="comment-feedback"
    >
      <strong>
        {live ? FALLBACK.published : moderation.reason || FALLBACK[moderation.status]}
      </strong>
      {!live && <p className="feedback-reason">{WHO_SEES[moderation.status]}</p>}
    </div>
  )
}
