import type { Comment } from '../../api/types'
import { Avatar } from '../feed/ClipSlide'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { SafetyMenu } from '../safety/SafetyMenu'

type Reply = Comment['replies'][number]

// Shown when a comment has no reason of its own.
const STATUS_LABEL: Record<string, string> = {
  held: 'Held for review',
  rejected: 'Not published',
}

export function CommentItem({
  comment,
  mine,
  onDelete,
  onReply,
  onSafety,
}: {
  comment: Comment | Reply
  mine: boolean
  onDelete: (id: string) => void
  onReply?: (comment: Comment | Reply) => void
  onSafety: (outcome: SafetyOutcome) => void
}) {
  // The reason names the decision itself ("Held for review: likely harassment"): say it once.
  const label =
    comment.status && comment.status !== 'published'
      ? comment.reason || STATUS_LABEL[comment.status]
      : undefined
  return (
    <div className="comment" data-testid="comment">
      <Avatar url={comment.author.avatarUrl} name={comment.author.username} size={28} />
      <div className="comment-body">
        <div className="comment-head">
          <p className="comment-author">
            {comment.author.displayName || comment.author.username}{' '}
            <span className="muted">@{comment.author.username}</span>
          </p>
          {!mine && (
            <SafetyMenu
              subject={{ subjectType: 'comment', subjectId: comment.id }}
              noun="comment"
              username={comment.author.username}
              onDone={onSafety}
            />
          )}
        </div>
        <p className="comment-text">{comment.body}</p>
        {label && (
          <p className="comment-status">
            {label} <span className="muted">· only you can see it</span>
          </p>
        )}
        <div className="comment-actions">
          {onReply && (
            <button type="button" className="link-button" onClick={() => onReply(comment)}>
              Reply
            </button>
          )}
          {mine && (
            <button type="button" className="link-button" onClick={() => onDelete(comment.id)}>
              Delete
            </button>
          )}
        </div>
      </div>
    </div>
  )
}
