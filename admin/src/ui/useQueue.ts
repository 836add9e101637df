import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { messageOf } from '@clipstream/frontend-kit/errors'
import type { Action } from '../api/types'

type Options = {
  ids: string[]
  // Sends one decision for these ids and resolves to how many were decided.
  decide: (ids: string[], action: Action, reason: string) => Promise<number>
  // What the queue holds, for the result line: "Approved 2 videos".
  noun: string
  // After a decision: reload the queue.
  onDecided: () => void
  // Other words for the result line (the Appealed tabs: "Overturned 1 video").
  past?: Partial<Record<Action, string>>
}

const PAST: Record<Action, string> = {
  approve: 'Approved',
  reject: 'Rejected',
  restore: 'Restored',
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  const tag = target.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable
}

// The review queues' shared behaviour: a current item, a selection, the
// decision with its required reason, and the keyboard: j/k move, x selects,
// a approves, r rejects, u restores (acting on the selection, or the current
// item when nothing is selected).
export function useQueue({ ids, decide, noun, onDecided, past }: Options) {
  const [current, setCurrent] = useState(0)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [hint, setHint] = useState('')
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState('')
  const reasonRef = useRef<HTMLInputElement>(null)

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
      // Refused, with focus moved to the reason field, while there is no reason.
      if (reason.trim().length < 3) {
        setHint('Write a reason (at least 3 characters) first.')
        reasonRef.current?.focus()
        return
      }
      setHint('')
      setBusy(true)
      setResult('')
      decide(targets, action, reason)
        .then((n) => {
          setResult(`${past?.[action] ?? PAST[action]} ${n} ${noun}${n === 1 ? '' : 's'}`)
          setReason('')
          onDecided()
        })
        .catch((err: unknown) => setResult(messageOf(err)))
        .finally(() => setBusy(false))
    },
    [targets, reason, decide, noun, onDecided, past],
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

  return {
    current,
    setCurrent,
    currentId,
    selected,
    toggle,
    selectAll,
    // Everything the ActionBar shows except which actions apply.
    bar: {
      count: targets.length,
      reason,
      onReason: setReason,
      reasonRef,
      onAct: act,
      busy,
      hint,
      result,
    },
  }
}
