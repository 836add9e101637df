import { useId, useState } from 'react'
import { messageOf } from '@clipstream/frontend-kit/errors'
import { useMenu } from '../../ui/useMenu'
import { SafetyActions } from '../safety/SafetyActions'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { ConfirmDelete } from './ConfirmDelete'
import { setCommentHidden } from './manage'

// The "⋯" on someone else's comment under one's own clip: hide or show it, delete it (asked
// first), and the usual report and block.
export function CommentCurateMenu({
  commentId,
  username,
  hidden,
  onHidden,
  onRemove,
  onSafety,
}: {
  commentId: string
  username: string
  hidden: boolean
  onHidden: (hidden: boolean) => void
  onRemove: () => Promise<void>
  onSafety: (outcome: SafetyOutcome) => void
}) {
  const { open, setOpen, toggle } = useMenu()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const panelId = useId()

  const flip = async () => {
    setBusy(true)
    setError(null)
    try {
      onHidden(await setCommentHidden(commentId, !hidden))
      setOpen(false)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="safety-menu">
      <button
        ref={toggle}
        type="button"
        className="icon-button safety-toggle"
        aria-label="More options for this comment"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div id={panelId} className="menu-panel" role="group" aria-label="comment options">
          <button type="button" className="menu-item" disabled={busy} onClick={() => void flip()}>
            {hidden ? 'Show comment' : 'Hide comment'}
          </button>
          {!hidden && (
            <p className="menu-hint">Only its author will still see it; they are not told.</p>
          )}
          <ConfirmDelete
            label="Delete comment"
            question="Delete this comment from your clip? This cannot be undone."
            onConfirm={async () => {
              await onRemove()
              setOpen(false)
            }}
          />
          <SafetyActions
            subject={{ subjectType: 'comment', subjectId: commentId }}
            noun="comment"
            username={username}
            signedIn
            onNeedAccount={() => undefined}
            onDone={(outcome) => {
              setOpen(false)
              onSafety(outcome)
            }}
          />
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  )
}
