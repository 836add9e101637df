import type { ReactNode } from 'react'
import { Link } from 'react-router-dom'

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  )
}

// `gone`: nothing to retry (not found, deleted); the viewer is offered the home page instead.
export function ErrorState({
  message,
  onRetry,
  gone = false,
}: {
  message: string
  onRetry?: () => void
  gone?: boolean
}) {
  return (
    <div className="state state-error" role="alert">
      <p>{message}</p>
      {gone && (
        <Link className="button" to="/">
          Go to the feed
        </Link>
      )}
      {onRetry && !gone && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function EmptyState({
  title,
  body,
  action,
}: {
  title: string
  body?: string
  action?: ReactNode
}) {
  return (
    <div className="state">
      <h2>{title}</h2>
      {body && <p className="muted">{body}</p>}
      {action}
    </div>
  )
}
