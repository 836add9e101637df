import { useCallback, useEffect, useState } from 'react'
import { messageOf } from '../api/errors'

type AsyncState<T> =
  | { status: 'loading'; data: undefined; error: undefined }
  | { status: 'ready'; data: T; error: undefined }
  | { status: 'error'; data: undefined; error: string }

// One request tied to a component's lifetime; answers for stale keys are dropped.
export function useAsync<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<AsyncState<T>>({
    status: 'loading',
    data: undefined,
    error: undefined,
  })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    setState((s) =>
      s.status === 'ready' ? s : { status: 'loading', data: undefined, error: undefined },
    )
    load().then(
      (data) => live && setState({ status: 'ready', data, error: undefined }),
      (err: unknown) =>
        live && setState({ status: 'error', data: undefined, error: messageOf(err) }),
    )
    return () => {
      live = false
    }
    // `load` is recreated every render; `key` says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  return { ...state, reload }
}
