import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { VideoCard } from '../../api/types'
import { FINAL_STATUSES, STATUS_WORDS } from '../videos/status'
import { PipelineSteps } from './PipelineSteps'
import { inFrameCheck, stageHeading } from './pipeline'

// The transcoder reports about once a second; every 2 s the bar moves a few percent.
const POLL_MS = 2000
const REVIEW_POLL_MS = 5000

// Follows a finished upload through transcoding and moderation until it lands.
export function ProcessingStatus({ videoId }: { videoId: string }) {
  const [video, setVideo] = useState<VideoCard | null>(null)
  // The highest percent seen: a retried transcode starts again from 0 on the server, and a bar
  // that runs backwards reads as broken; it waits until the new attempt catches up instead.
  const [shownProgress, setShownProgress] = useState(0)
  const [error, setError] = useState<string | null>(null)
  // Once the frame check has begun the steps stay at Check, as the bar never runs backwards.
  const [checkSeen, setCheckSeen] = useState(false)

  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const body = await read(api.videos[':id'].$get({ param: { id: videoId } }))
        if (!live) return
        setVideo(body.video ?? null)
        const seen = body.video
        if (seen?.status && inFrameCheck(seen.status, seen.statusReason)) {
          setCheckSeen(true)
        }
        const progress = body.video?.progress
        if (progress !== undefined && progress !== null) {
          setShownProgress((shown) => Math.max(shown, progress))
        }
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
  const percent = Math.round(shownProgress)
  const checking = status === 'processing' && checkSeen
  // While checking, the reason only repeats the heading; the guidelines are the news.
  const detail = status === 'moderating' ? STATUS_WORDS.moderating : video?.statusReason
  return (
    <section className="processing" aria-live="polite" data-testid="processing-status">
      <h2>{stageHeading(status, checking)}</h2>
      <PipelineSteps status={status} checking={checking} />
      {status === 'processing' && (
        <div className="progress-row">
          <progress max={100} value={percent} aria-label="Processing progress" />
          <span data-testid="processing-percent">{percent}%</span>
        </div>
      )}
      {detail && status !== 'published' && (
        <p className="status-reason" data-testid="status-reason">
          {detail}
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
