import { useId, useState } from 'react'
import type { FormEvent } from 'react'
import { messageOf } from '@clipstream/frontend-kit/errors'
import { REPORT_REASON_LABELS, sendReport, setBlocked, useSafety } from './safety'
import type { ReportReason, ReportSubject } from './safety'

export type SafetyNoun = 'clip' | 'comment' | 'profile'
export type SafetyOutcome =
  | { kind: 'reported'; noun: SafetyNoun; subject: ReportSubject }
  | { kind: 'blocked'; username: string }
  | { kind: 'unblocked'; username: string }

type Props = {
  subject: ReportSubject
  noun: SafetyNoun
  // Whom "Block" blocks; null when there is no one else to block (one's own content).
  username: string | null
  // What the server said when the page loaded; a block or unblock made here since wins.
  initiallyBlocked?: boolean
  signedIn: boolean
  onNeedAccount: () => void
  onDone: (outcome: SafetyOutcome) => void
  // Styles the buttons like the menu they sit in.
  itemClass?: string
}

const REASONS = Object.entries(REPORT_REASON_LABELS) as [ReportReason, string][]

// Report (with the API's reasons) and Block/Unblock, as items of whichever menu holds them:
// the clip's More panel, or a "⋯" menu on comments, profiles and the video page.
export function SafetyActions({
  subject,
  noun,
  username,
  initiallyBlocked = false,
  signedIn,
  onNeedAccount,
  onDone,
  itemClass = 'menu-item',
}: Props) {
  const safety = useSafety()
  const [reporting, setReporting] = useState(false)
  const [reason, setReason] = useState<ReportReason | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const formId = useId()
  const blocked = username !== null && (safety.blocks.get(username) ?? initiallyBlocked)

  const run = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!reason) return
    void run(async () => {
      await sendReport(subject, reason, '')
      safety.hide(subject)
      onDone({ kind: 'reported', noun, subject })
    })
  }

  const toggleBlock = () => {
    if (!signedIn || !username) return onNeedAccount()
    void run(async () => {
      await setBlocked(username, !blocked)
      safety.markBlocked(username, !blocked)
      onDone({ kind: blocked ? 'unblocked' : 'blocked', username })
    })
  }

  if (reporting) {
    return (
      <form className="report-form" onSubmit={submit} aria-labelledby={formId}>
        <fieldset>
          <legend id={formId}>Why are you reporting this {noun}?</legend>
          {REASONS.map(([value, label]) => (
            <label key={value} className="report-reason">
              <input
                type="radio"
                name={`${formId}-reason`}
                value={value}
                checked={reason === value}
                onChange={() => setReason(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="report-actions">
          <button type="button" className="button button-small" onClick={() => setReporting(false)}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-small button-primary"
            disabled={!reason || busy}
          >
            {busy ? 'Sending…' : 'Send report'}
          </button>
        </div>
      </form>
    )
  }

  return (
    <>
      <button
        type="button"
        className={itemClass}
        onClick={() => (signedIn ? setReporting(true) : onNeedAccount())}
      >
        Report {noun}
      </button>
      {username && (
        <button type="button" className={itemClass} disabled={busy} onClick={toggleBlock}>
          {blocked ? `Unblock @${username}` : `Block @${username}`}
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </>
  )
}
