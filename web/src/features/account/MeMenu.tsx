import { useEffect, useId, useRef, useState } from 'react'
import { Link, useLocation, useNavigate } from 'react-router-dom'
import type { Me } from '../../api/types'
import { Avatar } from '../feed/ClipSlide'

// The phone's way to everything the desktop header offers a signed-in user: the header's
// account area does not fit below 768 px, so the bottom bar's "Me" opens this sheet.
export function MeMenu({ user, onLogout }: { user: Me; onLogout: () => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const [leaving, setLeaving] = useState(false)
  const sheetId = useId()
  const toggle = useRef<HTMLButtonElement>(null)
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const mine = [`/u/${user.username}`, '/me/videos', '/settings'].includes(pathname)

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

  const close = () => setOpen(false)
  const logOut = async () => {
    setLeaving(true)
    await onLogout()
    setLeaving(false)
    setOpen(false)
    void navigate('/')
  }

  return (
    <>
      <button
        ref={toggle}
        type="button"
        className={mine || open ? 'bottombar-me active' : 'bottombar-me'}
        aria-expanded={open}
        aria-controls={sheetId}
        onClick={() => setOpen((o) => !o)}
      >
        Me
      </button>
      {open && (
        <>
          <div className="sheet-backdrop" aria-hidden="true" onClick={close} />
          <div id={sheetId} className="sheet me-sheet" role="group" aria-label="Your account">
            <div className="me-sheet-head">
              <Avatar url={user.avatarUrl} name={user.username} size={40} />
              <div>
                <strong>{user.displayName || user.username}</strong>
                <p className="muted">@{user.username}</p>
              </div>
            </div>
            <Link className="sheet-item" to={`/u/${user.username}`} onClick={close}>
              Profile
            </Link>
            <Link className="sheet-item" to="/me/videos" onClick={close}>
              My videos
            </Link>
            <Link className="sheet-item" to="/settings" onClick={close}>
              Settings
            </Link>
            <button
              type="button"
              className="sheet-item sheet-item-danger"
              disabled={leaving}
              onClick={() => void logOut()}
            >
              {leaving ? 'Logging out…' : 'Log out'}
            </button>
          </div>
        </>
      )}
    </>
  )
}
