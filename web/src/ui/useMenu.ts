import { useEffect, useRef, useState } from 'react'

// A small pop-up menu's state: open or not, and the button that toggles it. Escape closes
// the menu and gives focus back to that button, as keyboard users expect.
export function useMenu() {
  const [open, setOpen] = useState(false)
  const toggle = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return
      e.preventDefault()
      setOpen(false)
      toggle.current?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])

  return { open, setOpen, toggle }
}
