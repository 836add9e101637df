import { lazy, Suspense, useEffect, useState, type MouseEvent } from 'react'
import { BrowserRouter, NavLink, Navigate, Route, Routes } from 'react-router-dom'
import { api } from './api/client'
import { RequestError, messageOf, read } from '@clipstream/frontend-kit/errors'
import type { Me } from './api/types'
import { CommentQueue } from './pages/CommentQueue'
import { History } from './pages/History'
import { Login, NoAccess } from './pages/Login'
import { ProfileQueue } from './pages/ProfileQueue'
import { Reports } from './pages/Reports'
import { Thresholds } from './pages/Thresholds'
import { Users } from './pages/Users'
import { VideoQueue } from './pages/VideoQueue'
import { SessionContext } from './session'
import { ErrorNote, Loading } from './ui/states'

type Session =
  | { state: 'loading' }
  | { state: 'out' }
  | { state: 'in'; me: Me }
  | { state: 'error'; message: string }

// recharts is the largest dependency; only the overview needs it.
const Overview = lazy(() => import('./pages/Overview').then((m) => ({ default: m.Overview })))

const isStaff = (me: Me) => !me.banned && (me.role === 'moderator' || me.role === 'admin')

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' })
  const [menuOpen, setMenuOpen] = useState(false)
  useEffect(() => {
    read(api.auth.me.$get()).then(
      (r) => setSession({ state: 'in', me: r.user }),
      (err: unknown) =>
        setSession(
          err instanceof RequestError && err.status === 401
            ? { state: 'out' }
            : { state: 'error', message: messageOf(err) },
        ),
    )
  }, [])

  function logout() {
    read(api.auth.logout.$post()).then(
      () => setSession({ state: 'out' }),
      () => setSession({ state: 'out' }),
    )
  }

  // Following a link closes the phone's menu, so the page it opens is what the moderator sees.
  function closeMenuOnLink(event: MouseEvent<HTMLDivElement>) {
    if (event.target instanceof Element && event.target.closest('a')) setMenuOpen(false)
  }

  if (session.state === 'loading') return <Loading what="Checking your session" />
  if (session.state === 'error') return <ErrorNote message={session.message} />
  if (session.state === 'out') return <Login onLogin={(me) => setSession({ state: 'in', me })} />
  if (!isStaff(session.me)) return <NoAccess me={session.me} onLogout={logout} />
  const me = session.me
  return (
    <SessionContext.Provider value={me}>
      <BrowserRouter>
        <div className="shell">
          <nav aria-label="Dashboard" className={menuOpen ? 'open' : undefined}>
            <div className="nav-head">
              <strong className="brand">Clipstream · moderation</strong>
              {/* Shown below 768 px only (styles.css): a phone keeps the width for the page. */}
              <button
                type="button"
                className="menu-button"
                aria-expanded={menuOpen}
                aria-controls="dashboard-links"
                onClick={() => setMenuOpen((open) => !open)}
              >
                Menu
              </button>
            </div>
            <div className="nav-links" id="dashboard-links" onClick={closeMenuOnLink}>
              <NavLink to="/" end>
                Overview
              </NavLink>
              <NavLink to="/videos">Video queue</NavLink>
              <NavLink to="/comments">Comment queue</NavLink>
              <NavLink to="/profiles">Profile queue</NavLink>
              <NavLink to="/reports">Reports</NavLink>
              <NavLink to="/history">History</NavLink>
              <NavLink to="/thresholds">Thresholds</NavLink>
              {me.role === 'admin' && <NavLink to="/users">Users</NavLink>}
              <span className="who">
                {me.username} ({me.role})
                <button type="button" onClick={logout}>
                  Log out
                </button>
              </span>
            </div>
          </nav>
          <main>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/" element={<Overview />} />
                <Route path="/videos" element={<VideoQueue />} />
                <Route path="/comments" element={<CommentQueue />} />
                <Route path="/profiles" element={<ProfileQueue />} />
                <Route path="/reports" element={<Reports />} />
                <Route path="/history" element={<History />} />
                <Route path="/thresholds" element={<Thresholds />} />
                <Route
                  path="/users"
                  element={me.role === 'admin' ? <Users /> : <Navigate to="/" replace />}
                />
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            </Suspense>
          </main>
        </div>
      </BrowserRouter>
    </SessionContext.Provider>
  )
}
