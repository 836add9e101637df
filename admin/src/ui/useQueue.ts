import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Action } from '../api/types'

type Options = {
  ids: string[]
  onAct: (ids: string[], action: Action) => void
  // Refused (with focus moved to the reason field) while there is no reason.
  reasonReady: boolean
  focusReason: () => void
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  const tag = target.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable
}

// The review queues' shared behaviour: a current item, a selection, and the
// keyboard: j/k move, x selects, a approves, r rejects, u restores (acting on
// the selection, or the current item when nothing is selected).
export function useQueue({ ids, onAct, reasonReady, focusReason }: Options) {
  const [current, setCurrent] = useState(0)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [hint, setHint] = useState('')

  // Items leave the queue after a decision: keep the index in range and
  // forget selected ids that are gone.
  const key = ids.join(',')
  useEffect(() => {
    setCurrent((i) => Math.min(i, Math.max(0, ids.length - 1)))
    setSelected((s) => new Set([...s].filter((id) => ids.includes(id))))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])

  const currentId = ids[current]
  const targets = useMemo(
    () => (selected.size ? ids.filter((id) => selected.has(id)) : currentId ? [currentId] : []),
    [ids, selected, currentId],
  )

  const toggle = useCallback((id: string) => {
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  }, [])
  const selectAll = useCallback(() => {
    setSelected((s) => (s.size === ids.length ? new Set() : new Set(ids)))
  }, [ids])

  const act = useCallback(
    (action: Action) => {
      if (!targets.length) return
      if (!reasonReady) {
        setHint('Write a reason (at least 3 characters) first.')
        focusReason()
        return
      }
      setHint('')
      onAct(targets, action)
    },
    [targets, reasonReady, focusReason, onAct],
  )

  const latest = useRef({ act, toggle, currentId, count: ids.length })
  latest.current = { act, toggle, currentId, count: ids.length }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return
      const l = latest.current
      switch (e.key) {
        case 'j':
          setCurrent((i) => Math.min(i + 1, Math.max(0, l.count - 1)))
          break
        case 'k':
          setCurrent((i) => Math.max(i - 1, 0))
          break
        case 'x':
          if (l.currentId) l.toggle(l.currentId)
          break
        case 'a':
          l.act('approve')
          break
        case 'r':
          l.act('reject')
          break
        case 'u':
          l.act('restore')
          break
        default:
          return
      }
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return { current, setCurrent, currentId, selected, toggle, selectAll, targets, act, hint }
}
