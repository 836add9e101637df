// The single error type a job can end with. The code is for the Worker, the reason for the creator.
export type FailureCode =
  | 'empty_file'
  | 'not_a_video'
  | 'corrupt'
  | 'truncated'
  | 'too_long'
  | 'unsupported_codec'
  | 'source_unavailable'
  | 'internal'

// Default wording and whether trying the same upload again could help.
const FAILURE_DEFAULTS: Record<FailureCode, { reason: string; retryable: boolean }> = {
  empty_file: { reason: 'The file is empty.', retryable: false },
  not_a_video: { reason: 'This file is not a video we can read.', retryable: false },
  corrupt: { reason: 'The video is damaged and cannot be played.', retryable: false },
  truncated: {
    reason: 'The file ends early: it looks like the upload was cut off.',
    retryable: false,
  },
  too_long: { reason: 'The video is longer than allowed.', retryable: false },
  unsupported_codec: {
    reason: 'The video uses a format we cannot convert.',
    retryable: false,
  },
  source_unavailable: {
    reason: 'We could not fetch the uploaded file. Please try again.',
    retryable: true,
  },
  internal: {
    reason: 'Something went wrong while processing the video. We will try again.',
    retryable: true,
  },
}

export class JobFailure extends Error {
  readonly code: FailureCode
  readonly reason: string
  readonly retryable: boolean

  constructor(
    code: FailureCode,
    reason?: string,
    options?: { retryable?: boolean; detail?: string },
  ) {
    const defaults = FAILURE_DEFAULTS[code]
    super(options?.detail ?? reason ?? defaults.reason)
    this.name = 'JobFailure'
    this.code = code
    this.reason = reason ?? defaults.reason
    this.retryable = options?.retryable ?? defaults.retryable
  }
}

export function asJobFailure(error: unknown): JobFailure {
  if (error instanceof JobFailure) return error
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new JobFailure('internal', 'Processing took too long. We will try again.', {
      detail: error.message,
    })
  }
  const detail = error instanceof Error ? error.message : String(error)
  return new JobFailure('internal', undefined, { detail })
}
