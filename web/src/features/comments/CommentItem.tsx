import { useState } from 'react'
import type { Comment } from '../../api/types'
import { AppealControl } from '../creator/AppealControl'
import { CommentCurateMenu } from '../creator/CommentCurateMenu'
import type { Appeal } from '../creator/manage'
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
  curating = false,
  onDelete,
  onHidden,
  onReply,
  onSafety,
}: {
  comment: Comment | Reply
  mine: boolean
  // The viewer made the clip: they may hide or delete others' comments under it.
  curating?: boolean
  onDelete: (id: string) => Promise<void>
  onHidden?: (id: string, hidden: boolean) => void
  onReply?: (comment: Comment | Reply) => void
  onSafety: (outcome: SafetyOutcome) => void
}) {
  const [appeal, setAppeal] = useState<Appeal | null>(comment.appeal ?? null)
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
          {!mine && curating && (
            <CommentCurateMenu
              commentId={comment.id}
              username={comment.author.username}
              hidden={comment.hidden ?? false}
              onHidden={(hidden) => onHidden?.(comment.id, hidden)}
              onRemove={() => onDelete(comment.id)}
              onSafety={onSafety}
            />
          )}
          {!mine && !curating && (
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
        {comment.hidden && (
          <p className="comment-status comment-hidden">
            Hidden{' '}
            <span className="muted">
              · {curating ? 'only its author and you can see it' : 'by the clip’s creator'}
            </span>
          </p>
        )}
        {mine && (
          <AppealControl
            subjectType="comment"
            subjectId={comment.id}
            status={comment.status}
            appeal={appeal}
            onFiled={setAppeal}
          />
        )}
        <div className="comment-actions">
          {onReply && (
            <button type="button" className="link-button" onClick={() => onReply(comment)}>
              Reply
            </button>
          )}
          {mine && (
            <button type="button" className="link-button" onClick={() => void onDelete(comment.id)}>
              Delete
            </button>
          )}
        </div>
      </div>
    </div>
  )
}
