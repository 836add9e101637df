import { useState, type FormEvent } from 'react'
import { api } from '../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { Me } from '../api/types'

export function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError('')
    read(api.auth.login.$post({ json: { email, password } }))
      .then((r) => onLogin(r.user))
      .catch((err: unknown) => setError(messageOf(err)))
      .finally(() => setBusy(false))
  }
  return (
    <main className="login">
      <form onSubmit={submit} aria-label="Log in">
        <h1>Clipstream moderation</h1>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            required
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  )
}

export function NoAccess({ me, onLogout }: { me: Me; onLogout: () => void }) {
  return (
    <main className="login">
      <div role="alert" className="no-access">
        <h1>No access</h1>
        <p>
          You are signed in as <strong>{me.username}</strong>. The moderator dashboard is only for
          moderators and admins.
        </p>
        <button type="button" onClick={onLogout}>
          Log out
        </button>
      </div>
    </main>
  )
}
