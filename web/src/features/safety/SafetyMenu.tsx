import { useId } from 'react'
import type { ReactNode } from 'react'
import { useNavigate } from 'react-router-dom'
import { useSession } from '../auth/session'
import { SafetyActions } from './SafetyActions'
import type { SafetyNoun, SafetyOutcome } from './SafetyActions'
import type { ReportSubject } from './safety'
import { useMenu } from '../../ui/useMenu'

// A small "⋯" disclosure holding Report and Block, for comments, profiles and the video page.
export function SafetyMenu({
  subject,
  noun,
  username,
  initiallyBlocked,
  onDone,
}: {
  subject: ReportSubject
  noun: SafetyNoun
  username: string | null
  initiallyBlocked?: boolean
  onDone: (outcome: SafetyOutcome) => void
}) {
  const { user } = useSession()
  const navigate = useNavigate()
  const { open, setOpen, toggle } = useMenu()
  const panelId = useId()

  return (
    <div className="safety-menu">
      <button
        ref={toggle}
        type="button"
        className="icon-button safety-toggle"
        aria-label={`More options for this ${noun}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open && (
        <div id={panelId} className="menu-panel" role="group" aria-label={`${noun} options`}>
          <SafetyActions
            subject={subject}
            noun={noun}
            username={username}
            initiallyBlocked={initiallyBlocked}
            signedIn={!!user}
            onNeedAccount={() =>
              void navigate(`/login?next=${encodeURIComponent(location.pathname)}`)
            }
            onDone={(outcome) => {
              setOpen(false)
              onDone(outcome)
            }}
          />
        </div>
      )}
    </div>
  )
}

// What happened, in words, and how to take a block back.
export function SafetyNotice({
  outcome,
  onUndo,
  children,
}: {
  outcome: SafetyOutcome
  onUndo?: () => void
  children?: ReactNode
}) {
  return (
    <div className="safety-notice" role="status">
      {outcome.kind === 'reported' && outcome.noun === 'profile' && (
        <p>Thanks, we received your report. Our moderators will review this profile.</p>
      )}
      {outcome.kind === 'reported' && outcome.noun !== 'profile' && (
        <p>
          Thanks, we received your report. This {outcome.noun} is hidden for you while our
          moderators review it.
        </p>
      )}
      {outcome.kind === 'blocked' && (
        <p>
          You blocked @{outcome.username}. Their clips and comments are hidden for you and you no
          longer follow each other. To undo it, choose Unblock
          {onUndo ? ' here or' : ''} in the ⋯ menu on their profile.
        </p>
      )}
      {outcome.kind === 'unblocked' && (
        <p>You unblocked @{outcome.username}. Their clips and comments show again.</p>
      )}
      {outcome.kind === 'blocked' && onUndo && (
        <button type="button" className="button button-small" onClick={onUndo}>
          Unblock @{outcome.username}
        </button>
      )}
      {children}
    </div>
  )
}
