import { useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { VideoCard } from '../../api/types'
import { formatCount, formatCountOf } from '../../ui/format'
import { MuteButton } from '../../ui/MuteButton'
import { ErrorState, Loading } from '../../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useSession } from '../auth/session'
import { useSafety, useUnblock } from '../safety/safety'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { SafetyMenu, SafetyNotice } from '../safety/SafetyMenu'
import { CommentsPanel } from '../comments/CommentsPanel'
import { ClipAppeal } from '../creator/ClipAppeal'
import { ClipManageMenu } from '../creator/ClipManageMenu'
import { EditClipForm } from '../creator/EditClipForm'
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
  if (video.status === 'error')
    return <ErrorState message={video.error} onRetry={video.reload} gone={video.gone} />
  const card = video.data.video
  if (!card) return <ErrorState message="Clip not found" />
  return <VideoDetails key={card.id} video={card} blockedCreator={video.data.blockedCreator} />
}

// `blockedCreator`: what the server said when the page loaded (a block made since wins).
function VideoDetails({
  video: loaded,
  blockedCreator,
}: {
  video: VideoCard
  blockedCreator: boolean
}) {
  const { user } = useSession()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  // Edits replace the card the page loaded with the one the API answered.
  const [video, setVideo] = useState(loaded)
  const editing = params.get('edit') === '1' && user?.id === video.creator.id
  const setEditing = (on: boolean) =>
    setParams(on ? { edit: '1' } : {}, { replace: true, preventScrollReset: true })
  const [muted, setMuted] = useState(true)
  const like = useLike(video)
  const isMine = user?.id === video.creator.id
  const follow = useFollow(video.creator.username, { lookup: !!user && !isMine })
  const { videoHidden, blocks } = useSafety()
  const unblock = useUnblock()
  const [safetyNotice, setSafetyNotice] = useState<SafetyOutcome | null>(null)

  // Once reported (or its creator blocked, in this visit or before) the clip is gone for this
  // viewer; say so, and how to take a block back.
  const blockedBefore = blocks.get(video.creator.username) === undefined && blockedCreator
  if (videoHidden(video) || blockedBefore) {
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
        {editing ? (
          <EditClipForm
            video={video}
            onSaved={(saved) => {
              setVideo(saved)
              setEditing(false)
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <h1>{video.title}</h1>
        )}
        {isMine && video.status && video.status !== 'published' && (
          <StatusBadge status={video.status} reason={video.statusReason} />
        )}
        {isMine && <ClipAppeal key={video.status} videoId={video.id} status={video.status} />}
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
          {isMine && (
            <ClipManageMenu
              video={video}
              onEdit={() => setEditing(true)}
              onDeleted={() => void navigate('/me/videos', { state: { deleted: video.title } })}
            />
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
        {!editing && video.description && <p className="description">{video.description}</p>}
        {!editing && video.tags.length > 0 && (
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
          <CommentsPanel videoId={video.id} creatorId={video.creator.id} />
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
