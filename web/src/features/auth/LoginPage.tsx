import { useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { Field } from '../../ui/Field'
import { useSubmit } from '../../ui/useSubmit'
import { useSession } from './session'

export function LoginPage() {
  const { setUser } = useSession()
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')

  const { onSubmit, busy, error } = useSubmit(async () => {
    const { user } = await read(api.auth.login.$post({ json: { email, password } }))
    setUser(user)
    await navigate(safeNext(params.get('next')))
  })

  return (
    <form className="panel form" onSubmit={onSubmit} noValidate>
      <h1>Log in</h1>
      <Field
        label="Email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={error?.fields.email}
        required
      />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={error?.fields.password}
        required
      />
      {error && Object.keys(error.fields).length === 0 && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
      <p className="muted">
        New here? <Link to="/signup">Create an account</Link>
      </p>
    </form>
  )
}

// Only paths inside this app: a crafted ?next= must not send people elsewhere.
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/'
}
