import { useCallback, useEffect, useState } from 'react'
import { messageOf, RequestError } from './errors'

type AsyncState<T> =
  | { status: 'loading'; data: undefined; error: undefined }
  | { status: 'ready'; data: T; error: undefined }
  // `gone`: the server said the thing does not exist (404/410), so asking again cannot help.
  | { status: 'error'; data: undefined; error: string; gone: boolean }

export type UseAsyncOptions = {
  // The dashboard's lists stay on screen while they are refreshed or re-filtered, so a
  // moderator's place is not lost; the viewer app blanks instead, so one clip's page never
  // shows under another clip's address.
  keepPrevious?: boolean
}

// One request tied to a component's lifetime; answers for stale keys are dropped.
export function useAsync<T>(
  load: () => Promise<T>,
  key: string,
  { keepPrevious = false }: UseAsyncOptions = {},
) {
  const [state, setState] = useState<AsyncState<T>>({
    status: 'loading',
    data: undefined,
    error: undefined,
  })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let live = true
    setState((s) =>
      keepPrevious && s.status === 'ready'
        ? s
        : { status: 'loading', data: undefined, error: undefined },
    )
    load().then(
      (data) => live && setState({ status: 'ready', data, error: undefined }),
      (err: unknown) =>
        live &&
        setState({
          status: 'error',
          data: undefined,
          error: messageOf(err),
          gone: err instanceof RequestError && (err.status === 404 || err.status === 410),
        }),
    )
    return () => {
      live = false
    }
    // `load` is recreated every render; `key` says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  return {
    ...state,
    reload,
    setData: (data: T) => setState({ status: 'ready', data, error: undefined }),
  }
}
