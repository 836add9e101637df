import type { Comment } from '../../api/types'
import { Avatar } from '../feed/ClipSlide'

type Reply = Comment['replies'][number]

const STATUS_LABEL: Record<string, string> = {
  held: 'Held for review — only you can see it',
  rejected: 'Not published — only you can see it',
}

export function CommentItem({
  comment,
  mine,
  onDelete,
  onReply,
}: {
  comment: Comment | Reply
  mine: boolean
  onDelete: (id: string) => void
  onReply?: (comment: Comment | Reply) => void
}) {
  const label = comment.status ? STATUS_LABEL[comment.status] : undefined
  return (
    <div className="comment" data-testid="comment">
      <Avatar url={comment.author.avatarUrl} name={comment.author.username} size={28} />
      <div className="comment-body">
        <p className="comment-author">
          {comment.author.displayName || comment.author.username}{' '}
          <span className="muted">@{comment.author.username}</span>
        </p>
        <p className="comment-text">{comment.body}</p>
        {label && (
          <p className="comment-status">
            {label}
            {comment.reason ? `: ${comment.reason}` : ''}
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
