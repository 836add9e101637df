// The API's error shape, read from the Worker's source so a change there breaks both apps' build.
import type { ErrorBody } from '../../../worker/src/lib/errors'

export type FieldErrors = Record<string, string>

// What the UI shows when a request fails: the API's own words when it sent
// them, and per-field messages when the validator listed them.
export class RequestError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldErrors

  constructor(status: number, code: string, message: string, fields: FieldErrors = {}) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = value.error
  return typeof error === 'object' && error !== null && 'message' in error
}

function fieldErrorsOf(details: unknown): FieldErrors {
  const fields: FieldErrors = {}
  if (!Array.isArray(details)) return fields
  for (const item of details as unknown[]) {
    if (typeof item !== 'object' || item === null) continue
    const path = 'path' in item ? item.path : undefined
    const message = 'message' in item ? item.message : undefined
    // The first problem per field is the one worth reading.
    if (typeof path !== 'string' || typeof message !== 'string') continue
    // `interests.2` is about the interests field as far as a form is concerned.
    for (const key of [path, path.split('.')[0] ?? path]) {
      if (!(key in fields)) fields[key] = message
    }
  }
  return fields
}

export async function toRequestError(res: {
  status: number
  json(): Promise<unknown>
}): Promise<RequestError> {
  const body: unknown = await res.json().catch(() => null)
  if (isErrorBody(body)) {
    return new RequestError(
      res.status,
      body.error.code,
      body.error.message,
      fieldErrorsOf(body.error.details),
    )
  }
  return new RequestError(res.status, 'http_error', `The server answered ${res.status}`)
}

type JsonResponse<T> = { ok: boolean; status: number; json(): Promise<T> }

// Unwraps an hc call: the typed body on success, a RequestError otherwise.
export async function read<T>(pending: Promise<JsonResponse<T>>): Promise<T> {
  let res: JsonResponse<T>
  try {
    res = await pending
  } catch {
    throw new RequestError(0, 'network', 'Cannot reach Clipstream. Check your connection.')
  }
  if (!res.ok) throw await toRequestError(res)
  return res.json()
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return 'Something went wrong'
}
