import { useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { Field } from '../../ui/Field'
import { useSubmit } from '../../ui/useSubmit'
import { InterestPicker } from '../categories/InterestPicker'
import { useSession } from './session'

export function SignupPage() {
  const { setUser } = useSession()
  const navigate = useNavigate()
  const [username, setUsername] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [interests, setInterests] = useState<string[]>([])

  const { onSubmit, busy, error } = useSubmit(async () => {
    const { user } = await read(
      api.auth.register.$post({ json: { username, email, password, interests } }),
    )
    setUser(user)
    await navigate('/')
  })

  const fields = error?.fields ?? {}
  const knownFields = ['username', 'email', 'password', 'interests']
  const showGeneral = error && !knownFields.some((f) => f in fields)

  return (
    <form className="panel form" onSubmit={onSubmit} noValidate>
      <h1>Create your account</h1>
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={fields.username}
        required
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fields.email}
        required
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fields.password}
        required
      />
      <InterestPicker selected={interests} onChange={setInterests} error={fields.interests} />
      {showGeneral && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Creating…' : 'Sign up'}
      </button>
      <p className="muted">
        Have an account? <Link to="/login">Log in</Link>
      </p>
    </form>
  )
}
