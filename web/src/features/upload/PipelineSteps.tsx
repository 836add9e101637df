import type { VideoStatus } from '../videos/status'
import { pipelineSteps } from './pipeline'
import type { StepState } from './pipeline'
import './pipeline.css'

const MARKS: Record<StepState, string> = {
  done: '✓',
  current: '',
  waiting: '…',
  upcoming: '',
  stopped: '✕',
}
const SPOKEN: Record<StepState, string> = {
  done: 'done',
  current: 'now',
  waiting: 'waiting',
  upcoming: 'next',
  stopped: 'stopped',
}

// Upload, processing, check and result in a row, so the creator sees every stage the clip
// passes, including ones shorter than the page's polling interval.
export function PipelineSteps({
  status,
  checking = false,
}: {
  status: VideoStatus
  checking?: boolean
}) {
  return (
    <ol className="pipeline-steps" aria-label="Steps" data-testid="pipeline-steps">
      {pipelineSteps(status, checking).map((step) => (
        <li
          key={step.key}
          className={`pipeline-step pipeline-step-${step.state}`}
          data-state={step.state}
          aria-current={step.state === 'current' || step.state === 'waiting' ? 'step' : undefined}
        >
          <span className="pipeline-mark" aria-hidden="true">
            {MARKS[step.state]}
          </span>
          <span className="pipeline-label">{step.label}</span>
          <span className="visually-hidden"> ({SPOKEN[step.state]})</span>
        </li>
      ))}
    </ol>
  )
}
