import { useSyncExternalStore } from 'react'
import { partFraction, uploadProgress } from './uploadMachine'
import type { UploadSession } from './uploadSession'
import { PipelineSteps } from './PipelineSteps'
import { ProcessingStatus } from './ProcessingStatus'

// Small files in kB, so a 40 kB clip does not read "0.0 MB of 0.0 MB".
export function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} kB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

const PHASE_WORDS = {
  idle: 'Ready',
  preparing: 'Preparing the upload…',
  uploading: 'Uploading…',
  paused: 'Paused',
  refreshing: 'Renewing the upload link…',
  completing: 'Finishing the upload…',
  processing: 'Uploaded',
  failed: 'Upload stopped',
  cancelled: 'Upload cancelled',
} as const

export function UploadProgress({
  session,
  onDone,
}: {
  session: UploadSession
  onDone: () => void
}) {
  const state = useSyncExternalStore(session.subscribe, session.getState)
  const { sent, total, fraction } = uploadProgress(state)
  const percent = Math.round(fraction * 100)
  const retrying = state.parts.filter((p) => p.status === 'waiting')

  if (state.phase === 'processing' && state.videoId) {
    return (
      <>
        <ProcessingStatus videoId={state.videoId} />
        <button type="button" className="button" onClick={onDone}>
          Upload another
        </button>
      </>
    )
  }

  return (
    <section className="upload-progress" aria-label="Upload progress" data-testid="upload-progress">
      <h2>{PHASE_WORDS[state.phase]}</h2>
      {state.phase !== 'failed' && state.phase !== 'cancelled' && (
        <PipelineSteps status="uploading" />
      )}
      <div className="progress-row">
        <progress max={100} value={percent} aria-label="Overall upload progress" />
        <span data-testid="upload-percent">{percent}%</span>
      </div>
      <p className="muted">
        {size(sent)} of {size(total)}
        {state.resumedParts > 0 &&
          ` · resumed: ${state.resumedParts} part(s) were already uploaded`}
      </p>
      {state.parts.length > 1 && (
        <ol className="parts" aria-label="Parts">
          {state.parts.map((p) => (
            <li key={p.partNumber} className={`part part-${p.status}`}>
              <span>Part {p.partNumber}</span>
              <progress max={1} value={partFraction(p)} aria-label={`Part ${p.partNumber}`} />
              <span className="muted">
                {p.status === 'waiting' ? `retry ${p.attempts}` : p.status === 'done' ? 'done' : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
      {retrying.length > 0 && (
        <p className="muted" role="status">
          Connection trouble; retrying automatically…
        </p>
      )}
      {state.phase === 'failed' && state.error && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      <div className="actions">
        {(state.phase === 'uploading' || state.phase === 'refreshing') && (
          <button type="button" className="button" onClick={() => session.pause()}>
            Pause
          </button>
        )}
        {state.phase === 'paused' && (
          <button type="button" className="button button-primary" onClick={() => session.resume()}>
            Resume
          </button>
        )}
        {state.phase === 'failed' && state.retryable && (
          <button type="button" className="button button-primary" onClick={() => session.retry()}>
            Retry
          </button>
        )}
        {state.phase !== 'cancelled' &&
          state.phase !== 'completing' &&
          !(state.phase === 'failed' && !state.retryable) && (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                void session.cancel()
              }}
            >
              Cancel upload
            </button>
          )}
        {(state.phase === 'cancelled' || state.phase === 'failed') && (
          <button type="button" className="button" onClick={onDone}>
            Choose another file
          </button>
        )}
      </div>
    </section>
  )
}
