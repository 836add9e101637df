import { useState } from 'react'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { AppealControl } from './AppealControl'
import { APPEALABLE, myAppeals } from './manage'
import type { Appeal } from './manage'

// Under the decision on one's own clip: appeal it, or read how the appeal went.
export function ClipAppeal({ videoId, status }: { videoId: string; status: string | undefined }) {
  const [filed, setFiled] = useState<Appeal | null>(null)
  const appeals = useAsync(() => myAppeals({ subjectId: videoId }), `appeal:${videoId}`)
  if (appeals.status !== 'ready') return null
  const appeal = filed ?? appeals.data.find((a) => a.subjectType === 'video') ?? null
  if (!appeal && !(status && APPEALABLE.video.includes(status))) return null
  return (
    <AppealControl
      subjectType="video"
      subjectId={videoId}
      status={status}
      appeal={appeal}
      onFiled={setFiled}
    />
  )
}
