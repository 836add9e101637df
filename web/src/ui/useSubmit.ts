import { useState } from 'react'
import type { FormEvent } from 'react'
import { RequestError } from '@clipstream/frontend-kit/errors'

// A form's submission: busy while `run` works, and its failure as a
// RequestError, whose `fields` hold the API's per-field messages.
export function useSubmit(run: () => Promise<void>) {
  const [error, setError] = useState<RequestError | null>(null)
  const [busy, setBusy] = useState(false)
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    run()
      .catch((err: unknown) =>
        setError(err instanceof RequestError ? err : new RequestError(0, 'unknown', String(err))),
      )
      .finally(() => setBusy(false))
  }
  return { onSubmit, busy, error }
}
