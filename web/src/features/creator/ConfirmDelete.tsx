import { useEffect, useId, useRef, useState } from 'react'
import { messageOf } from '@clipstream/frontend-kit/errors'

// A delete that asks first: the trigger becomes a short question with Cancel and Delete.
// Focus moves to Cancel, so a second Enter does not delete by accident.
export function ConfirmDelete({
  label,
  question,
  confirmLabel = 'Delete',
  triggerClass = 'menu-item',
  triggerName,
  onConfirm,
}: {
  label: string
  // The trigger's accessible name when the label alone is ambiguous (a grid of Deletes).
  triggerName?: string
  question: string
  confirmLabel?: string
  triggerClass?: string
  onConfirm: () => Promise<void>
}) {
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const questionId = useId()

  useEffect(() => {
    if (asking) cancel.current?.focus()
  }, [asking])

  if (!asking) {
    return (
      <button
        type="button"
        className={triggerClass}
        aria-label={triggerName}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    )
  }
  const confirm = async () => {
    setBusy(true)
    setError(null)
    try {
      await onConfirm()
    } catch (err) {
      setError(messageOf(err))
      setBusy(false)
    }
  }
  return (
    <div className="confirm" role="alertdialog" aria-labelledby={questionId}>
      <p id={questionId}>{question}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="report-actions">
        <button
          ref={cancel}
          type="button"
          className="button button-small"
          onClick={() => setAsking(false)}
        >
          Cancel
        </button>
        <button
          type="button"
          className="button button-small button-danger"
          disabled={busy}
          onClick={() => void confirm()}
        >
          {busy ? 'Deleting…' : confirmLabel}
        </button>
      </div>
    </div>
  )
}
