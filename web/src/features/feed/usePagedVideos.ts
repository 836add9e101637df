import { useCallback, useEffect, useRef, useState } from 'react'
import { messageOf } from '@clipstream/frontend-kit/errors'
import type { VideoCard } from '../../api/types'

export type VideoPageLoader = (
  cursor: string | undefined,
) => Promise<{ videos: VideoCard[]; nextCursor: string | null }>

type State = {
  videos: VideoCard[]
  cursor: string | null
  status: 'loading' | 'ready' | 'error'
  loadingMore: boolean
  error: string | null
}

const initial: State = {
  videos: [],
  cursor: null,
  status: 'loading',
  loadingMore: false,
  error: null,
}

// Cursor paging with duplicates dropped: a personalised feed may serve a
// clip again on a later page, and the viewer should not see it twice.
export function usePagedVideos(load: VideoPageLoader, key: string) {
  const [state, setState] = useState<State>(initial)
  const inFlight = useRef(false)
  const generation = useRef(0)
  // The latest loader without restarting the feed when a parent re-renders.
  const loadRef = useRef(load)
  useEffect(() => {
    loadRef.current = load
  }, [load])

  const fetchPage = useCallback(async (cursor: string | undefined, gen: number) => {
    inFlight.current = true
    try {
      const page = await loadRef.current(cursor)
      if (gen !== generation.current) return
      setState((s) => {
        const seen = new Set(s.videos.map((v) => v.id))
        const fresh = page.videos.filter((v) => !seen.has(v.id) && seen.add(v.id))
        return {
          videos: [...s.videos, ...fresh],
          cursor: page.nextCursor,
          status: 'ready',
          loadingMore: false,
          error: null,
        }
      })
    } catch (err) {
      if (gen !== generation.current) return
      setState((s) => ({
        ...s,
        status: s.videos.length ? 'ready' : 'error',
        loadingMore: false,
        error: messageOf(err),
      }))
    } finally {
      if (gen === generation.current) inFlight.current = false
    }
  }, [])

  useEffect(() => {
    generation.current += 1
    inFlight.current = false
    setState(initial)
    void fetchPage(undefined, generation.current)
  }, [key, fetchPage])

  const loadMore = useCallback(() => {
    if (inFlight.current || state.cursor === null || state.status !== 'ready') return
    setState((s) => ({ ...s, loadingMore: true, error: null }))
    void fetchPage(state.cursor, generation.current)
  }, [fetchPage, state.cursor, state.status])

  const reload = useCallback(() => {
    generation.current += 1
    setState(initial)
    void fetchPage(undefined, generation.current)
  }, [fetchPage])

  // A clip the viewer turned down leaves the list; the pager shows the next one in its place.
  const remove = useCallback((id: string) => {
    setState((s) => ({ ...s, videos: s.videos.filter((v) => v.id !== id) }))
  }, [])

  return { ...state, hasMore: state.cursor !== null, loadMore, reload, remove }
}
