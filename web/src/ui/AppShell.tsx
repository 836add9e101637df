import type { ReactNode } from 'react'
import { Link, NavLink } from 'react-router-dom'
import { MeMenu } from '../features/account/MeMenu'
import { useSession } from '../features/auth/session'

export function AppShell({ children }: { children: ReactNode }) {
  const { user, logout } = useSession()
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Clipstream home">
          Clipstream
        </Link>
        <nav className="tabs" aria-label="Feeds">
          <NavLink to="/" end>
            For You
          </NavLink>
          <NavLink to="/following">Following</NavLink>
          <NavLink to="/explore">Explore</NavLink>
        </nav>
        <div className="account">
          {user ? (
            <>
              <Link to="/upload" className="button button-primary">
                Upload
              </Link>
              <Link to="/me/videos">My videos</Link>
              <Link to={`/u/${user.username}`}>@{user.username}</Link>
              <Link to="/settings">Settings</Link>
              <button type="button" className="link-button" onClick={() => void logout()}>
                Log out
              </button>
            </>
          ) : (
            <>
              <Link to="/login">Log in</Link>
              <Link to="/signup" className="button button-primary">
                Sign up
              </Link>
            </>
          )}
        </div>
      </header>
      <main className="content">{children}</main>
      <nav className="bottombar" aria-label="Main">
        <NavLink to="/" end>
          Home
        </NavLink>
        <NavLink to="/explore">Explore</NavLink>
        <NavLink to="/upload" className="bottombar-upload" aria-label="Upload">
          +
        </NavLink>
        <NavLink to="/following">Following</NavLink>
        {user ? <MeMenu user={user} onLogout={logout} /> : <NavLink to="/login">Log in</NavLink>}
      </nav>
    </div>
  )
}
