import { useId, useState } from 'react'
import type { FormEvent } from 'react'
import { messageOf } from '@clipstream/frontend-kit/errors'
import { APPEALABLE, fileAppeal } from './manage'
import type { Appeal, AppealSubject } from './manage'

const MIN = 10
const MAX = 1000
const NOUN: Record<AppealSubject, string> = { video: 'clip', comment: 'comment' }

// The outcome of an appeal in the creator's words, next to the decision it answers.
export function AppealOutcome({ appeal }: { appeal: Appeal }) {
  const noun = NOUN[appeal.subjectType]
  return (
    <div className={`appeal appeal-${appeal.status}`} data-testid="appeal-outcome">
      {appeal.status === 'pending' && (
        <p>
          <strong>Appeal sent.</strong> A moderator will read it and answer here.
        </p>
      )}
      {appeal.status === 'overturned' && (
        <p>
          <strong>Appeal accepted:</strong> your {noun} is published.{' '}
          {appeal.response && <span className="appeal-response">“{appeal.response}”</span>}
        </p>
      )}
      {appeal.status === 'upheld' && (
        <p>
          <strong>Appeal declined:</strong> the decision stays.{' '}
          {appeal.response && <span className="appeal-response">“{appeal.response}”</span>}
        </p>
      )}
    </div>
  )
}

// Appeal a decision once, with a message; afterwards, where it stands.
export function AppealControl({
  subjectType,
  subjectId,
  status,
  appeal,
  onFiled,
}: {
  subjectType: AppealSubject
  subjectId: string
  status: string | undefined
  appeal: Appeal | null | undefined
  onFiled: (appeal: Appeal) => void
}) {
  const [writing, setWriting] = useState(false)
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const id = useId()

  if (appeal) return <AppealOutcome appeal={appeal} />
  if (!status || !APPEALABLE[subjectType].includes(status)) return null
  if (!writing) {
    return (
      <button type="button" className="link-button appeal-open" onClick={() => setWriting(true)}>
        Appeal this decision
      </button>
    )
  }
  const length = message.trim().length
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      onFiled(await fileAppeal(subjectType, subjectId, message.trim()))
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="appeal-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={id}>Why should a moderator look again?</label>
      <textarea
        id={id}
        value={message}
        rows={3}
        maxLength={MAX}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setMessage(e.target.value)}
      />
      <p id={`${id}-hint`} className="muted appeal-hint">
        You can appeal a decision once. {length}/{MAX}
        {length > 0 && length < MIN ? ` · at least ${MIN} characters` : ''}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="report-actions">
        <button type="button" className="button button-small" onClick={() => setWriting(false)}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button-small button-primary"
          disabled={busy || length < MIN}
        >
          {busy ? 'Sending…' : 'Send appeal'}
        </button>
      </div>
    </form>
  )
}
