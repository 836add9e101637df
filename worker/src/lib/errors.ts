import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

// One error type for the whole API. `code` is machine-readable and stable;
// `message` is written for the person who will read it.
export class ApiError extends HTTPException {
  readonly code: string
  readonly details?: unknown

  constructor(status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
    super(status, { message })
    this.code = code
    this.details = details
  }
}

// Too many requests: the answer carries Retry-After (seconds) as well.
export class RateLimited extends ApiError {
  readonly retryAfterSeconds: number

  constructor(code: string, message: string, retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds))
    super(429, code, message, { retryAfterSeconds: seconds })
    this.retryAfterSeconds = seconds
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`)
export const unauthenticated = () => new ApiError(401, 'unauthenticated', 'Please log in first')
export const forbidden = (message = 'You are not allowed to do that') =>
  new ApiError(403, 'forbidden', message)

export type ErrorBody = {
  error: { code: string; message: string; requestId: string; details?: unknown }
}

export function errorResponse(c: Context, err: Error) {
  const requestId = String(c.get('requestId') ?? '')
  if (err instanceof ApiError) {
    if (err instanceof RateLimited) c.header('Retry-After', String(err.retryAfterSeconds))
    const body: ErrorBody = {
      error: { code: err.code, message: err.message, requestId, details: err.details },
    }
    return c.json(body, err.status)
  }
  if (err instanceof HTTPException) {
    // Hono raises these itself, e.g. for a body that is not valid JSON.
    const status = err.status
    const code = status === 400 ? 'bad_request' : status === 413 ? 'too_large' : 'http_error'
    const message = err.message || 'Bad request'
    return c.json({ error: { code, message, requestId } } satisfies ErrorBody, status)
  }
  console.error(
    JSON.stringify({ level: 'error', requestId, message: err.message, stack: err.stack }),
  )
  const body: ErrorBody = {
    error: { code: 'internal', message: 'Something went wrong on our side', requestId },
  }
  return c.json(body, 500)
}
