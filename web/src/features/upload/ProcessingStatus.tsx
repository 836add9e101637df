import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { VideoCard } from '../../api/types'
import { FINAL_STATUSES, STATUS_WORDS } from '../videos/status'

const POLL_MS = 2000
const REVIEW_POLL_MS = 5000

// Follows a finished upload through transcoding and moderation until it lands.
export function ProcessingStatus({ videoId }: { videoId: string }) {
  const [video, setVideo] = useState<VideoCard | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const body = await read(api.videos[':id'].$get({ param: { id: videoId } }))
        if (!live) return
        setVideo(body.video ?? null)
        setError(null)
        const status = body.video?.status
        if (status && FINAL_STATUSES.has(status)) {
          // A moderator may still publish a clip in review: keep looking, slowly.
          if (status === 'in_review' && live) timer = setTimeout(() => void poll(), REVIEW_POLL_MS)
          return
        }
      } catch (err) {
        if (live) setError(messageOf(err))
      }
      if (live) timer = setTimeout(() => void poll(), POLL_MS)
    }
    void poll()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [videoId])

  const status = video?.status ?? 'processing'
  const progress = video?.progress ?? 0
  const done = FINAL_STATUSES.has(status)
  return (
    <section className="processing" aria-live="polite" data-testid="processing-status">
      <h2>{STATUS_WORDS[status]}</h2>
      {status === 'processing' && (
        <div className="progress-row">
          <progress max={100} value={progress} aria-label="Transcoding progress" />
          <span>{Math.round(progress)}%</span>
        </div>
      )}
      {!done && status !== 'processing' && <span className="spinner" aria-hidden="true" />}
      {video?.statusReason && status !== 'published' && (
        <p className="status-reason" data-testid="status-reason">
          {video.statusReason}
        </p>
      )}
      {status === 'published' && (
        <p>
          It is live. <Link to={`/v/${videoId}`}>Watch it</Link>
        </p>
      )}
      {status === 'in_review' && (
        <p className="muted">A moderator will look at it soon; it stays hidden until then.</p>
      )}
      {error && <p className="form-error">Could not check the status: {error}. Retrying…</p>}
      <p className="muted">
        <Link to="/me/videos">All my videos</Link>
      </p>
    </section>
  )
}
