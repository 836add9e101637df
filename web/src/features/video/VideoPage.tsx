import { useState } from 'react'
import { Link, useParams } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '../../api/errors'
import type { VideoCard } from '../../api/types'
import { formatCount, formatCountOf } from '../../ui/format'
import { MuteButton } from '../../ui/MuteButton'
import { ErrorState, Loading } from '../../ui/states'
import { useAsync } from '../../ui/useAsync'
import { useSession } from '../auth/session'
import { useSafety, useUnblock } from '../safety/safety'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { SafetyMenu, SafetyNotice } from '../safety/SafetyMenu'
import { CommentsPanel } from '../comments/CommentsPanel'
import { Avatar } from '../feed/ClipSlide'
import { VideoPlayer } from '../player/VideoPlayer'
import { useFollow } from '../social/useFollow'
import { useLike } from '../social/useLike'
import { StatusBadge } from '../videos/StatusBadge'
import { VideoGrid } from '../videos/VideoGrid'

export function VideoPage() {
  const { id = '' } = useParams()
  const video = useAsync(() => read(api.videos[':id'].$get({ param: { id } })), `video:${id}`)
  if (video.status === 'loading') return <Loading label="Loading clip" />
  if (video.status === 'error') return <ErrorState message={video.error} onRetry={video.reload} />
  const card = video.data.video
  if (!card) return <ErrorState message="Clip not found" />
  return <VideoDetails key={card.id} video={card} />
}

function VideoDetails({ video }: { video: VideoCard }) {
  const { user } = useSession()
  const [muted, setMuted] = useState(true)
  const like = useLike(video)
  const isMine = user?.id === video.creator.id
  const follow = useFollow(video.creator.username, { lookup: !!user && !isMine })
  const { videoHidden } = useSafety()
  const unblock = useUnblock()
  const [safetyNotice, setSafetyNotice] = useState<SafetyOutcome | null>(null)

  // Once reported (or its creator blocked) the clip is gone for this viewer; say so, and how
  // to take a block back.
  if (videoHidden(video)) {
    const outcome: SafetyOutcome = safetyNotice ?? {
      kind: 'blocked',
      username: video.creator.username,
    }
    return (
      <div className="page narrow">
        <SafetyNotice
          outcome={outcome}
          onUndo={
            outcome.kind === 'blocked'
              ? () =>
                  void unblock(outcome.username).then(
                    () => setSafetyNotice({ kind: 'unblocked', username: outcome.username }),
                    () => undefined,
                  )
              : undefined
          }
        >
          <Link to="/" className="button button-small">
            Back to For You
          </Link>
        </SafetyNotice>
      </div>
    )
  }

  return (
    <div className="video-page">
      <div className="video-stage">
        <VideoPlayer
          video={video}
          active
          preload={false}
          muted={muted}
          trackWatching={!!user}
          onDoubleTap={user ? () => void like.like() : undefined}
        />
        <MuteButton muted={muted} onToggle={() => setMuted((m) => !m)} />
      </div>
      <div className="video-side">
        <h1>{video.title}</h1>
        {isMine && video.status && video.status !== 'published' && (
          <StatusBadge status={video.status} reason={video.statusReason} />
        )}
        <div className="clip-creator">
          <Link to={`/u/${video.creator.username}`} className="creator-link">
            <Avatar url={video.creator.avatarUrl} name={video.creator.username} />
            {video.creator.displayName || video.creator.username}
          </Link>
          {user && !isMine && (
            <button
              type="button"
              className="button button-small"
              aria-pressed={follow.following}
              disabled={follow.busy}
              onClick={() => void follow.toggle()}
            >
              {follow.following ? 'Following' : 'Follow'}
            </button>
          )}
          {!isMine && (
            <SafetyMenu
              subject={{ subjectType: 'video', subjectId: video.id }}
              noun="clip"
              username={video.creator.username}
              onDone={setSafetyNotice}
            />
          )}
        </div>
        {video.description && <p className="description">{video.description}</p>}
        {video.tags.length > 0 && (
          <p className="muted">{video.tags.map((t) => `#${t}`).join(' ')}</p>
        )}
        <div className="actions">
          <button
            type="button"
            className="button"
            aria-pressed={like.liked}
            disabled={!user}
            onClick={() => void like.toggle()}
          >
            <span className={like.liked ? 'heart heart-on' : 'heart'} aria-hidden="true">
              ♥
            </span>{' '}
            {like.liked ? 'Liked' : 'Like'} ·{' '}
            <span data-testid="like-count">{formatCount(like.count)}</span>
          </button>
          <span className="muted">▶ {formatCountOf(video.counts.views, 'view')}</span>
        </div>
        {safetyNotice && <SafetyNotice outcome={safetyNotice} />}
        {like.error && <p className="form-error">{like.error}</p>}
        {follow.error && <p className="form-error">{follow.error}</p>}
        <section aria-label="Comments">
          <h2>Comments</h2>
          <CommentsPanel videoId={video.id} />
        </section>
        <SimilarClips videoId={video.id} />
      </div>
    </div>
  )
}

// Shown only when the Worker answers; the route arrives with the recommender.
function SimilarClips({ videoId }: { videoId: string }) {
  const similar = useAsync(
    () => read(api.videos[':id'].similar.$get({ param: { id: videoId }, query: {} })),
    `similar:${videoId}`,
  )
  if (similar.status !== 'ready' || similar.data.videos.length === 0) return null
  return (
    <section aria-label="Similar clips">
      <h2>Similar clips</h2>
      <VideoGrid videos={similar.data.videos} />
    </section>
  )
}
