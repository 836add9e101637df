import { useState } from 'react'
import { Link } from 'react-router-dom'
import { EmptyState, Loading } from '../../ui/states'
import { useSession } from '../auth/session'
import { EditProfile } from '../profile/EditProfile'
import { MyReports } from './MyReports'

// Profile details and interests, on a page of their own so the phone's "Me" sheet can link here;
// below them, the viewer's reports and their outcomes.
export function SettingsPage() {
  const { user, ready } = useSession()
  const [saved, setSaved] = useState(false)
  if (!ready) return <Loading />
  if (!user) {
    return (
      <EmptyState
        title="Log in to change your settings"
        action={
          <Link to="/login?next=/settings" className="button button-primary">
            Log in
          </Link>
        }
      />
    )
  }
  return (
    <div className="page narrow">
      <h1>Settings</h1>
      {saved && (
        <p className="form-ok" role="status">
          Saved. <Link to={`/u/${user.username}`}>See your profile</Link>
        </p>
      )}
      <EditProfile key={user.id} me={user} onSaved={() => setSaved(true)} />
      <MyReports key={`reports-${user.id}`} />
    </div>
  )
}
