import { Link } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '../../api/errors'
import { EmptyState, Loading } from '../../ui/states'
import { useSession } from '../auth/session'
import { PagedGrid } from '../videos/PagedGrid'

// Every upload of the signed-in creator, whatever its state, with the reason.
export function MyVideosPage() {
  const { user, ready } = useSession()
  if (!ready) return <Loading />
  if (!user) {
    return (
      <EmptyState
        title="Log in to see your videos"
        action={
          <Link to="/login?next=/me/videos" className="button button-primary">
            Log in
          </Link>
        }
      />
    )
  }
  return (
    <div className="page">
      <h1>My videos</h1>
      <PagedGrid
        gridKey={`my-videos:${user.id}`}
        showStatus
        load={(cursor) => read(api.me.videos.$get({ query: { cursor, limit: '24' } }))}
        empty={
          <EmptyState
            title="You have not uploaded anything yet"
            action={
              <Link to="/upload" className="button button-primary">
                Upload a clip
              </Link>
            }
          />
        }
      />
    </div>
  )
}
