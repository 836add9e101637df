import { Link } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { EmptyState, Loading } from '../../ui/states'
import { useSession } from '../auth/session'
import { ClipFeed } from './ClipFeed'
import type { VideoPageLoader } from './usePagedVideos'

const loadFollowing: VideoPageLoader = (cursor) =>
  read(api.feeds.following.$get({ query: { cursor, limit: '10' } }))

export function FollowingPage() {
  const { user, ready } = useSession()
  if (!ready) return <Loading />
  if (!user) {
    return (
      <EmptyState
        title="Clips from creators you follow"
        body="Log in to see them here."
        action={
          <Link to="/login?next=/following" className="button button-primary">
            Log in
          </Link>
        }
      />
    )
  }
  return (
    <ClipFeed
      load={loadFollowing}
      feedKey={`following:${user.id}`}
      empty={
        <EmptyState
          title="Nothing from people you follow yet"
          body="Follow creators from the For You feed or Explore."
          action={
            <Link to="/explore" className="button button-primary">
              Explore
            </Link>
          }
        />
      }
    />
  )
}
