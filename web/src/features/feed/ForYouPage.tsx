import { useState } from 'react'
import { Link } from 'react-router-dom'
import { EmptyState } from '../../ui/states'
import { useSession } from '../auth/session'
import { ClipFeed } from './ClipFeed'
import { forYouLoader } from './forYou'

export function ForYouPage() {
  const { user, ready } = useSession()
  // One loader per signed-in identity: the feed depends on who is watching.
  const [load] = useState(forYouLoader)
  if (!ready) return null
  return (
    <ClipFeed
      load={load}
      feedKey={`for-you:${user?.id ?? 'guest'}`}
      recommended
      empty={
        <EmptyState
          title="No clips yet"
          body="Be the first to post one."
          action={
            <Link to="/upload" className="button button-primary">
              Upload a clip
            </Link>
          }
        />
      }
    />
  )
}
