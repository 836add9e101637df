import { useRef, useState } from 'react'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { Me } from '../../api/types'
import { useSession } from '../auth/session'

const LABELS = { avatar: 'Profile picture', banner: 'Banner' } as const
const MAX_BYTES = 4 * 1024 * 1024

// Picks an image and uploads it at once (it is not part of the form's Save): the preview
// is the stored picture, never a link to somewhere else.
export function ProfilePicture({ kind, me }: { kind: 'avatar' | 'banner'; me: Me }) {
  const { setUser } = useSession()
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const url = kind === 'avatar' ? me.avatarUrl : me.bannerUrl
  const label = LABELS[kind]

  const send = async (init: RequestInit) => {
    setBusy(true)
    setError(null)
    try {
      const { user } = await read<{ user: Me }>(
        fetch(`/api/me/${kind}`, { ...init, credentials: 'include' }),
      )
      setUser(user)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
      if (input.current) input.current.value = ''
    }
  }

  const onPick = (file: File | undefined) => {
    if (!file) return
    // Said here rather than after a 4 MB upload.
    if (file.size > MAX_BYTES) {
      setError(
        `${file.name} is ${Math.ceil(file.size / 1024 / 1024)} MB; pictures can be at most 4 MB`,
      )
      return
    }
    void send({ method: 'PUT', body: file, headers: { 'Content-Type': file.type || 'image/*' } })
  }

  return (
    <div className={`field picture picture-${kind}`}>
      <span className="picture-label" id={`picture-${kind}`}>
        {label}
      </span>
      <div className="picture-row">
        {url ? (
          <img className="picture-preview" src={url} alt={`Your ${label.toLowerCase()}`} />
        ) : (
          <span className="picture-preview picture-empty">None</span>
        )}
        <label className="button">
          {busy ? 'Uploading…' : url ? 'Change' : 'Upload'}
          <input
            ref={input}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            aria-labelledby={`picture-${kind}`}
            disabled={busy}
            hidden
            onChange={(e) => onPick(e.target.files?.[0])}
          />
        </label>
        {url && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void send({ method: 'DELETE' })}
          >
            Remove
          </button>
        )}
      </div>
      <p className="field-hint">JPEG, PNG or WebP, up to 4 MB.</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
