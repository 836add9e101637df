import { useCallback, useEffect, useState } from 'react'
import type { MyReport } from '../../../../worker/src/features/reports/mine'
import { api } from '../../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import { REPORT_REASON_LABELS, type ReportReason } from '../safety/safety'

const STATUS_LABEL: Record<MyReport['status'], string> = {
  pending: 'Waiting for review',
  resolved: 'Action taken',
  dismissed: 'No rule broken',
}

const reasonLabel = (reason: string) =>
  reason in REPORT_REASON_LABELS ? REPORT_REASON_LABELS[reason as ReportReason] : reason

const day = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })

// What the viewer reported and what moderators decided, newest first. Things are named by
// where they are, never by the words reported (the server does not send those).
export function MyReports() {
  const [reports, setReports] = useState<MyReport[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    setError(null)
    try {
      const body = await read(api.reports.mine.$get())
      setReports(body.reports)
    } catch (err) {
      setError(messageOf(err))
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  return (
    <section className="my-reports" aria-labelledby="my-reports-title">
      <h2 id="my-reports-title">Your reports</h2>
      {error ? (
        <p className="form-error" role="alert">
          {error}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      ) : !reports ? (
        <p className="muted" role="status">
          Loading your reports…
        </p>
      ) : !reports.length ? (
        <p className="muted">
          You have not reported anything. When you do, you will see here what moderators decided.
        </p>
      ) : (
        <ul className="my-report-list">
          {reports.map((r) => (
            <li key={r.id} className={`my-report my-report-${r.status}`} data-testid="my-report">
              <div className="my-report-head">
                <span className="my-report-subject">{r.subjectLabel}</span>
                <span className="my-report-status">{STATUS_LABEL[r.status]}</span>
              </div>
              <p className="my-report-meta muted">
                {reasonLabel(r.reason)} · reported {day(r.createdAt)}
                {r.resolvedAt ? ` · decided ${day(r.resolvedAt)}` : ''}
              </p>
              <p className="my-report-outcome">
                {r.outcomeMessage ?? 'A moderator will look at it. Their decision will show here.'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
