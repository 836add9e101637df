import type { ErrorBody } from '../../../worker/src/lib/errors'

// What the UI shows when a request fails: the API's own words when it sent them.
export class RequestError extends Error {
  readonly status: number
  readonly code: string

  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = value.error
  return typeof error === 'object' && error !== null && 'message' in error
}

type JsonResponse<T> = { ok: boolean; status: number; json(): Promise<T> }

// Unwraps an hc call: the typed body on success, a RequestError otherwise.
export async function read<T>(pending: Promise<JsonResponse<T>>): Promise<T> {
  let res: JsonResponse<T>
  try {
    res = await pending
  } catch {
    throw new RequestError(0, 'network', 'Cannot reach the Clipstream API.')
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null)
    if (isErrorBody(body)) throw new RequestError(res.status, body.error.code, body.error.message)
    throw new RequestError(res.status, 'http_error', `The server answered ${res.status}`)
  }
  return res.json()
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message
  return 'Something went wrong'
}
