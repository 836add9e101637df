import { useState } from 'react'
import { Link, useNavigate } from 'react-router-dom'
import type { VideoCard } from '../../api/types'
import { formatCount } from '../../ui/format'
import { Icon } from '../../ui/icons'
import { MuteButton } from '../../ui/MuteButton'
import { useSession } from '../auth/session'
import { useSafety } from '../safety/safety'
import { SafetyActions } from '../safety/SafetyActions'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { VideoPlayer } from '../player/VideoPlayer'
import { shareClip } from '../social/share'
import { useFollow } from '../social/useFollow'
import { useLike } from '../social/useLike'
import { ClipOptions, reasonOf } from './ClipOptions'

type Props = {
  video: VideoCard
  active: boolean
  preload: boolean
  muted: boolean
  onToggleMute: () => void
  onOpenComments: (video: VideoCard) => void
  // Recommended feeds only: "Not interested" removes the clip and moves on.
  onNotInterested?: (videoId: string) => void
  // After a report or block from the clip's More panel.
  onSafety: (outcome: SafetyOutcome) => void
}

export function ClipSlide({
  video,
  active,
  preload,
  muted,
  onToggleMute,
  onOpenComments,
  onNotInterested,
  onSafety,
}: Props) {
  const { user } = useSession()
  const navigate = useNavigate()
  const like = useLike(video)
  const isMine = user?.id === video.creator.id
  const follow = useFollow(video.creator.username, { lookup: active && !!user && !isMine })
  const [notice, setNotice] = useState<string | null>(null)
  const [burst, setBurst] = useState(0)
  const { commentCount } = useSafety()

  const needAccount = () => {
    void navigate(`/login?next=${encodeURIComponent(`/v/${video.id}`)}`)
  }

  const onDoubleTap = () => {
    if (!user) return needAccount()
    setBurst((n) => n + 1)
    void like.like()
  }

  const onShare = async () => {
    const result = await shareClip(video.id, video.title)
    setNotice(
      result === 'copied' ? 'Link copied' : result === 'failed' ? 'Could not share the link' : null,
    )
  }

  return (
    <div className="clip">
      <VideoPlayer
        video={video}
        active={active}
        preload={preload}
        muted={muted}
        trackWatching={!!user}
        onDoubleTap={onDoubleTap}
      />
      {burst > 0 && (
        <span key={burst} className="like-burst" aria-hidden="true">
          ♥
        </span>
      )}
      <MuteButton muted={muted} onToggle={onToggleMute} />
      <div className="clip-info">
        <div className="clip-creator">
          <Link to={`/u/${video.creator.username}`} className="creator-link">
            <Avatar url={video.creator.avatarUrl} name={video.creator.username} />@
            {video.creator.username}
            {video.creator.verified && <span aria-label="verified"> ✓</span>}
          </Link>
          {!isMine && (
            <button
              type="button"
              className="button button-small"
              aria-pressed={follow.following}
              disabled={follow.busy}
              onClick={() => (user ? void follow.toggle() : needAccount())}
            >
              {follow.following ? 'Following' : 'Follow'}
            </button>
          )}
        </div>
        <h2 className="clip-title">
          <Link to={`/v/${video.id}`}>{video.title}</Link>
        </h2>
        {video.description && <p className="clip-description">{video.description}</p>}
        {(notice ?? like.error ?? follow.error) && (
          <p className="clip-notice" role="status">
            {notice ?? like.error ?? follow.error}
          </p>
        )}
      </div>
      <div className="clip-rail">
        <button
          type="button"
          className="rail-button"
          aria-pressed={like.liked}
          aria-label={like.liked ? 'Unlike' : 'Like'}
          onClick={() => (user ? void like.toggle() : needAccount())}
        >
          <span className={like.liked ? 'heart heart-on' : 'heart'}>
            <Icon name="heart" />
          </span>
          <span data-testid="like-count">{formatCount(like.count)}</span>
        </button>
        <button
          type="button"
          className="rail-button"
          aria-label="Comments"
          onClick={() => onOpenComments(video)}
        >
          <span>
            <Icon name="comment" />
          </span>
          <span data-testid="comment-count">{formatCount(commentCount(video))}</span>
        </button>
        <button
          type="button"
          className="rail-button"
          aria-label="Share"
          onClick={() => void onShare()}
        >
          <span>
            <Icon name="share" />
          </span>
          <span>Share</span>
        </button>
        {!isMine && (
          <ClipOptions
            videoId={video.id}
            reason={reasonOf(video)}
            signedIn={!!user}
            onNeedAccount={needAccount}
            onNotInterested={onNotInterested}
          >
            <SafetyActions
              subject={{ subjectType: 'video', subjectId: video.id }}
              noun="clip"
              username={video.creator.username}
              signedIn={!!user}
              onNeedAccount={needAccount}
              onDone={onSafety}
              itemClass="clip-option"
            />
          </ClipOptions>
        )}
      </div>
    </div>
  )
}

export function Avatar({
  url,
  name,
  size = 32,
}: {
  url: string | null
  name: string
  size?: number
}) {
  return url ? (
    <img className="avatar" src={url} alt="" width={size} height={size} />
  ) : (
    <span className="avatar avatar-letter" style={{ width: size, height: size }} aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  )
}
