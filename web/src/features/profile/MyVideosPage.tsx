import { useState } from 'react'
import { Link, useLocation } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { EmptyState, Loading } from '../../ui/states'
import { useSession } from '../auth/session'
import { ClipTileActions } from '../creator/ClipTileActions'
import { useMyClipAppeals } from '../creator/manage'
import { PagedGrid } from '../videos/PagedGrid'

// Every upload of the signed-in creator, whatever its state, with the reason.
export function MyVideosPage() {
  const { user, ready } = useSession()
  const location = useLocation()
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set())
  const [lastDeleted, setLastDeleted] = useState<string | null>(null)
  // Where each appeal stands, shown under the decision it answers.
  const appealFor = useMyClipAppeals(user?.id ?? null)
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
      {(lastDeleted ?? deletedOnClipPage(location.state)) && (
        <p className="safety-notice" role="status">
          Deleted “{lastDeleted ?? deletedOnClipPage(location.state)}”.
        </p>
      )}
      <PagedGrid
        gridKey={`my-videos:${user.id}`}
        showStatus
        exclude={deleted}
        actions={(video) => (
          <ClipTileActions
            video={video}
            appeal={appealFor(video.id)}
            onDeleted={(id) => {
              setDeleted((d) => new Set([...d, id]))
              setLastDeleted(video.title)
            }}
          />
        )}
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

// The clip page sends the title of a clip it just deleted, so this page can say so.
function deletedOnClipPage(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('deleted' in state)) return null
  return typeof state.deleted === 'string' ? state.deleted : null
}
