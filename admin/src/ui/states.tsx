import type { ReactNode } from 'react'

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status">
      {what}…
    </p>
  )
}

export function ErrorNote({ message, retry }: { message: string; retry?: () => void }) {
  return (
    <div className="error" role="alert">
      {message}
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>
}
