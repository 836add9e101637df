import { useId, useState } from 'react'
import type { ReactNode } from 'react'
import { api } from '../../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { FeedCard, VideoCard } from '../../api/types'
import { Icon } from '../../ui/icons'
import { useMenu } from '../../ui/useMenu'

// The feed's own words for why a clip is on screen; only the For You feed sends them.
export function reasonOf(video: VideoCard): string | undefined {
  const reason: FeedCard['reason'] | undefined = (video as Partial<FeedCard>).reason
  return reason?.text
}

export async function markNotInterested(videoId: string): Promise<void> {
  await read(api.videos[':id']['not-interested'].$post({ param: { id: videoId } }))
}

type Props = {
  videoId: string
  reason: string | undefined
  signedIn: boolean
  onNeedAccount: () => void
  // Called once the API took the rejection; the feed moves on to the next clip. Recommended
  // feeds only.
  onNotInterested?: (videoId: string) => void
  // Further items (report, block) below the feed's own.
  children?: ReactNode
}

// The clip's "More" control: why this clip is here, and "Not interested". A disclosure
// (button + panel) rather than an ARIA menu, so it works with plain Tab and Enter.
export function ClipOptions({
  videoId,
  reason,
  signedIn,
  onNeedAccount,
  onNotInterested,
  children,
}: Props) {
  const { open, setOpen, toggle } = useMenu()
  const [showWhy, setShowWhy] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const panelId = useId()
  const whyId = useId()

  const notInterested = async () => {
    if (!onNotInterested) return
    if (!signedIn) return onNeedAccount()
    setBusy(true)
    setError(null)
    try {
      await markNotInterested(videoId)
      setOpen(false)
      onNotInterested(videoId)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="clip-options">
      <button
        ref={toggle}
        type="button"
        className="rail-button"
        aria-label="More options"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen((o) => !o)
          setShowWhy(false)
        }}
      >
        <span>
          <Icon name="more" />
        </span>
        <span>More</span>
      </button>
      {open && (
        <div id={panelId} className="clip-options-panel" role="group" aria-label="Clip options">
          {reason && (
            <>
              <button
                type="button"
                className="clip-option"
                aria-expanded={showWhy}
                aria-controls={whyId}
                onClick={() => setShowWhy((s) => !s)}
              >
                Why am I seeing this?
              </button>
              {showWhy && (
                <p id={whyId} className="clip-reason" role="status">
                  {reason}
                </p>
              )}
            </>
          )}
          {onNotInterested && (
            <button
              type="button"
              className="clip-option"
              disabled={busy}
              onClick={() => void notInterested()}
            >
              {busy ? 'Hiding…' : 'Not interested'}
            </button>
          )}
          {children}
          {error && (
            <p className="clip-notice" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  )
}
