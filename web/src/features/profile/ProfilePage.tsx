import { useState } from 'react'
import { useParams } from 'react-router-dom'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { Profile } from '../../api/types'
import { formatCount, nounFor } from '../../ui/format'
import { EmptyState, ErrorState, Loading } from '../../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useSession } from '../auth/session'
import { useSafety, useUnblock } from '../safety/safety'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { SafetyMenu, SafetyNotice } from '../safety/SafetyMenu'
import { Avatar } from '../feed/ClipSlide'
import { useFollow } from '../social/useFollow'
import { ClipTileActions } from '../creator/ClipTileActions'
import { useMyClipAppeals } from '../creator/manage'
import { PagedGrid } from '../videos/PagedGrid'
import { EditProfile } from './EditProfile'
import { ProfileReviewNotice } from './ProfileReviewNotice'

export function ProfilePage() {
  const { username = '' } = useParams()
  const { user, ready } = useSession()
  // Keyed on the settled session: loading again when it arrives would remount the page under
  // a click (an open menu closed, a confirmation lost).
  const profile = useAsync(
    async () => (await read(api.users[':username'].$get({ param: { username } }))).profile,
    `profile:${username}:${ready ? (user?.id ?? '') : 'session?'}`,
  )
  if (!ready || profile.status === 'loading') return <Loading label="Loading profile" />
  if (profile.status === 'error')
    return <ErrorState message={profile.error} onRetry={profile.reload} gone={profile.gone} />
  // After a block or unblock the counts change on the server (follows end both ways): read
  // them again without leaving the page, so the notice and open menus stay.
  const refresh = () =>
    void read(api.users[':username'].$get({ param: { username } })).then(
      (fresh) => profile.setData(fresh.profile),
      () => undefined,
    )
  return (
    <ProfileView
      key={profile.data.id}
      profile={profile.data}
      onChanged={profile.reload}
      onRelationChanged={refresh}
    />
  )
}

function ProfileView({
  profile,
  onChanged,
  onRelationChanged,
}: {
  profile: Profile
  onChanged: () => void
  onRelationChanged: () => void
}) {
  const { user } = useSession()
  const [editing, setEditing] = useState(false)
  const follow = useFollow(profile.username, { initial: profile.isFollowing, lookup: false })
  const followerDelta = Number(follow.following) - Number(profile.isFollowing)
  const followers = profile.counts.followers + followerDelta
  const { blocks } = useSafety()
  const unblock = useUnblock()
  const [safetyNotice, setSafetyNotice] = useState<SafetyOutcome | null>(null)
  // Clips the owner deleted from this page leave the grid at once.
  const [deleted, setDeleted] = useState<ReadonlySet<string>>(new Set())
  // On one's own profile each tile shows where its appeal stands, as My videos does.
  const appealFor = useMyClipAppeals(profile.isMe && user ? user.id : null)
  const blocked = !profile.isMe && (blocks.get(profile.username) ?? profile.blockedByMe)
  const undo = () =>
    void unblock(profile.username).then(
      () => {
        setSafetyNotice({ kind: 'unblocked', username: profile.username })
        onRelationChanged()
      },
      () => undefined,
    )
  const onSafety = (outcome: SafetyOutcome) => {
    setSafetyNotice(outcome)
    if (outcome.kind !== 'reported') onRelationChanged()
  }

  return (
    <div className="page profile">
      <div
        className="banner"
        style={
          profile.bannerUrl
            ? { backgroundImage: `url("${encodeURI(profile.bannerUrl)}")` }
            : undefined
        }
      />
      <div className="profile-head">
        <Avatar url={profile.avatarUrl} name={profile.username} size={88} />
        <div>
          <h1>{profile.displayName || profile.username}</h1>
          <p className="muted">
            @{profile.username}
            {profile.verified && ' ✓'}
            {profile.location && ` · ${profile.location}`}
          </p>
        </div>
        {profile.isMe ? (
          <button type="button" className="button" onClick={() => setEditing((e) => !e)}>
            {editing ? 'Close' : 'Edit profile'}
          </button>
        ) : (
          <div className="profile-actions">
            {user && !blocked && (
              <button
                type="button"
                className={follow.following ? 'button' : 'button button-primary'}
                aria-pressed={follow.following}
                disabled={follow.busy}
                onClick={() => void follow.toggle()}
              >
                {follow.following ? 'Following' : 'Follow'}
              </button>
            )}
            <SafetyMenu
              subject={{ subjectType: 'user', subjectId: profile.id }}
              noun="profile"
              username={profile.username}
              initiallyBlocked={profile.blockedByMe}
              onDone={onSafety}
            />
          </div>
        )}
      </div>
      {safetyNotice ? (
        <SafetyNotice
          outcome={safetyNotice}
          onUndo={safetyNotice.kind === 'blocked' ? undo : undefined}
        />
      ) : (
        blocked && (
          <div className="safety-notice" role="status">
            <p>You blocked @{profile.username}. Their clips and comments are hidden for you.</p>
            <button type="button" className="button button-small" onClick={undo}>
              Unblock @{profile.username}
            </button>
          </div>
        )
      )}
      {follow.error && <p className="form-error">{follow.error}</p>}
      {profile.isMe && user && <ProfileReviewNotice changes={user.profileReview} />}
      <ul className="counts">
        <li>
          <strong>{formatCount(followers)}</strong> {nounFor(followers, 'follower')}
        </li>
        <li>
          <strong>{formatCount(profile.counts.following)}</strong> following
        </li>
        <li>
          <strong>{formatCount(profile.counts.likes)}</strong>{' '}
          {nounFor(profile.counts.likes, 'like')}
        </li>
        <li>
          <strong>{formatCount(profile.counts.videos)}</strong>{' '}
          {nounFor(profile.counts.videos, 'clip')}
        </li>
      </ul>
      {profile.bio && <p className="bio">{profile.bio}</p>}
      {profile.website && (
        <p>
          <a href={profile.website} rel="noopener noreferrer nofollow" target="_blank">
            {profile.website}
          </a>
        </p>
      )}
      {profile.interests.length > 0 && (
        <div className="chips chips-small" aria-label="Interests">
          {profile.interests.map((i) => (
            <span key={i.id} className="chip chip-static">
              {i.icon} {i.name}
            </span>
          ))}
        </div>
      )}
      {editing && user && (
        <EditProfile
          me={user}
          onSaved={() => {
            setEditing(false)
            onChanged()
          }}
        />
      )}
      <h2>Clips</h2>
      {blocked ? (
        <EmptyState title="Clips hidden" body={`Unblock @${profile.username} to see them.`} />
      ) : (
        <PagedGrid
          gridKey={`user-videos:${profile.username}`}
          showStatus={profile.isMe}
          exclude={deleted}
          actions={
            profile.isMe
              ? (video) => (
                  <ClipTileActions
                    video={video}
                    appeal={appealFor(video.id)}
                    onDeleted={(id) => setDeleted((d) => new Set([...d, id]))}
                  />
                )
              : undefined
          }
          load={(cursor) =>
            read(
              api.users[':username'].videos.$get({
                param: { username: profile.username },
                query: { cursor, limit: '12' },
              }),
            )
          }
          empty={<EmptyState title="No clips yet" />}
        />
      )}
    </div>
  )
}
