import { useId, useState } from 'react'
import { Link, useLocation, useNavigate } from 'react-router-dom'
import type { Me } from '../../api/types'
import { Avatar } from '../feed/ClipSlide'
import { useMenu } from '../../ui/useMenu'

// The phone's way to everything the desktop header offers a signed-in user: the header's
// account area does not fit below 768 px, so the bottom bar's "Me" opens this sheet.
export function MeMenu({ user, onLogout }: { user: Me; onLogout: () => Promise<void> }) {
  const { open, setOpen, toggle } = useMenu()
  const [leaving, setLeaving] = useState(false)
  const sheetId = useId()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const mine = [`/u/${user.username}`, '/me/videos', '/settings'].includes(pathname)

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
