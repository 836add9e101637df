import { useState } from 'react'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import type { Me } from '../../api/types'
import { Field } from '../../ui/Field'
import { useSubmit } from '../../ui/useSubmit'
import { useSession } from '../auth/session'
import { InterestPicker } from '../categories/InterestPicker'
import { ProfilePicture } from './ProfilePicture'

const orNull = (s: string) => (s.trim() ? s.trim() : null)

export function EditProfile({ me, onSaved }: { me: Me; onSaved: () => void }) {
  const { setUser } = useSession()
  // A text waiting for review is what the author last wrote: edit that, not the old one.
  const waiting = (field: 'displayName' | 'bio') =>
    me.profileReview.find((c) => c.field === field && c.status === 'held')?.text
  const [displayName, setDisplayName] = useState(waiting('displayName') ?? me.displayName)
  const [bio, setBio] = useState(waiting('bio') ?? me.bio)
  const [website, setWebsite] = useState(me.website ?? '')
  const [location, setLocation] = useState(me.location ?? '')
  const [interests, setInterests] = useState(me.interests.map((i) => i.id))

  const { onSubmit, busy, error } = useSubmit(async () => {
    await read(
      api.me.$patch({
        json: {
          displayName: displayName.trim(),
          bio,
          website: orNull(website),
          location: orNull(location),
        },
      }),
    )
    const { user } = await read(api.me.interests.$put({ json: { interests } }))
    setUser(user)
    onSaved()
  })

  const fields = error?.fields ?? {}
  return (
    <form className="panel form" onSubmit={onSubmit} noValidate>
      <h2>Edit profile</h2>
      <Field
        label="Display name"
        value={displayName}
        maxLength={50}
        onChange={(e) => setDisplayName(e.target.value)}
        error={fields.displayName}
      />
      <div className="field">
        <label htmlFor="profile-bio">Bio</label>
        <textarea
          id="profile-bio"
          value={bio}
          maxLength={500}
          rows={3}
          onChange={(e) => setBio(e.target.value)}
        />
        {fields.bio && <p className="field-error">{fields.bio}</p>}
      </div>
      <ProfilePicture kind="avatar" me={me} />
      <ProfilePicture kind="banner" me={me} />
      <Field
        label="Website"
        type="url"
        value={website}
        onChange={(e) => setWebsite(e.target.value)}
        error={fields.website}
      />
      <Field
        label="Location"
        value={location}
        maxLength={80}
        onChange={(e) => setLocation(e.target.value)}
        error={fields.location}
      />
      <InterestPicker selected={interests} onChange={setInterests} error={fields.interests} />
      {error && Object.keys(fields).length === 0 && (
        <p className="form-error" role="alert">
          {error.message}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
    </form>
  )
}
