// Work a response need not wait for (cache writes, forgetting a session). Hono's
// executionCtx throws where there is none (app.request in tools): the promise then finishes
// on its own.
export function waitUntilOf(c: {
  readonly executionCtx: { waitUntil(promise: Promise<unknown>): void }
}): (promise: Promise<unknown>) => void {
  return (promise) => {
    try {
      c.executionCtx.waitUntil(promise)
    } catch {
      void promise
    }
  }
}
