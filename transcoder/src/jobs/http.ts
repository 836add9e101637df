// Outbound HTTP with bounded retries: network errors and 5xx are worth another try, 4xx are not.
export interface RetryPolicy {
  attempts: number
  baseDelayMs: number
}

export class HttpStatusError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'HttpStatusError'
    this.status = status
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function fetchWithRetry(
  url: string,
  init: () => RequestInit,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<Response> {
  let lastError: unknown = null
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    if (attempt > 0)
      await sleep(policy.baseDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2))
    signal?.throwIfAborted()
    try {
      const response = await fetch(url, { ...init(), signal })
      if (response.status < 500) return response
      await discardBody(response)
      lastError = new HttpStatusError(response.status, `HTTP ${response.status}`)
    } catch (error) {
      if (signal?.aborted === true) throw error
      lastError = error
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError))
}

// Reads a small answer (JSON, an error page) to its end instead of cancelling it: a cancelled
// body closes the connection while the Worker may still be writing, which workerd logs as
// "Broken pipe" / "Connection reset" errors, and the keep-alive connection is lost.
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.arrayBuffer()
  } catch {
    // The answer was cut short: nothing left to read.
  }
}
