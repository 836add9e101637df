import type { Me } from '../../api/types'

const FIELD = { displayName: 'display name', bio: 'bio' } as const

// The author's own view of a display name or bio the classifier held or a
// moderator turned down: the text they wrote and the reason, said once.
// Everyone else still sees the previous text.
export function ProfileReviewNotice({ changes }: { changes: Me['profileReview'] }) {
  if (changes.length === 0) return null
  return (
    <ul className="profile-review" aria-label="Profile changes awaiting review">
      {changes.map((c) => (
        <li
          key={c.id}
          className={`feedback feedback-${c.status}`}
          role="status"
          data-testid="profile-review"
        >
          <strong>{c.reason}</strong>
          <p className="muted">
            Your new {FIELD[c.field]}: <q>{c.text}</q>
          </p>
          <p className="feedback-reason">
            {c.status === 'held'
              ? `Only you can see it. Others see your previous ${FIELD[c.field]} until a moderator approves it.`
              : `It is not shown. Others see your previous ${FIELD[c.field]}.`}
          </p>
        </li>
      ))}
    </ul>
  )
}
