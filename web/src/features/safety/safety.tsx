import { createContext, useCallback, useContext, useMemo, useState } from 'react'
import type { ReactNode } from 'react'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { followEnded } from '../social/useFollow'

export type ReportInput = Parameters<typeof api.reports.$post>[0]['json']
export type ReportReason = ReportInput['reason']
export type ReportSubject = Pick<ReportInput, 'subjectType' | 'subjectId'>

// Every reason the API accepts, in the words a viewer reads; typed against the API's list so
// a reason added there fails the build here until it has a label.
export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam or scam',
  sexual: 'Nudity or sexual content',
  hate: 'Hate speech',
  violence: 'Violence or threats',
  harassment: 'Harassment or bullying',
  self_harm: 'Suicide or self-harm',
  minor_safety: 'Endangers a child',
  misinformation: 'False information',
  other: 'Something else',
}

export async function sendReport(subject: ReportSubject, reason: ReportReason, details: string) {
  await read(api.reports.$post({ json: { ...subject, reason, details } }))
}

export async function setBlocked(username: string, blocked: boolean) {
  const route = api.users[':username'].block
  const param = { username }
  if (blocked) await read(route.$post({ param }))
  else await read(route.$delete({ param }))
}

type Safety = {
  // What this viewer reported or blocked in this visit. The For You feed already leaves these
  // out on the server; every other list is filtered here so the change shows at once.
  hiddenVideos: ReadonlySet<string>
  hiddenComments: ReadonlySet<string>
  // username -> blocked, overriding what a profile said when it loaded.
  blocks: ReadonlyMap<string, boolean>
  // clip id -> comments under it that count in its comment count but are not in this viewer's
  // list: the ones a report or block took out since the list loaded (ids) and the ones the
  // server already left out (withheld, from an earlier visit's block or report). Counts on
  // cards subtract them, so the number next to the comment button matches the list.
  commentsGone: ReadonlyMap<string, CommentsGone>
  hide: (subject: ReportSubject) => void
  markBlocked: (username: string, blocked: boolean) => void
  noteCommentsGone: (videoId: string, gone: CommentsGone) => void
}

type CommentsGone = { ids: ReadonlySet<string>; withheld: number }

const SafetyContext = createContext<Safety>({
  hiddenVideos: new Set(),
  hiddenComments: new Set(),
  blocks: new Map(),
  commentsGone: new Map(),
  hide: () => undefined,
  markBlocked: () => undefined,
  noteCommentsGone: () => undefined,
})

export function SafetyProvider({ children }: { children: ReactNode }) {
  const [hiddenVideos, setHiddenVideos] = useState<ReadonlySet<string>>(new Set())
  const [hiddenComments, setHiddenComments] = useState<ReadonlySet<string>>(new Set())
  const [blocks, setBlocks] = useState<ReadonlyMap<string, boolean>>(new Map())
  const [commentsGone, setCommentsGone] = useState<ReadonlyMap<string, CommentsGone>>(new Map())

  const hide = useCallback((subject: ReportSubject) => {
    if (subject.subjectType === 'video') setHiddenVideos((s) => new Set(s).add(subject.subjectId))
    if (subject.subjectType === 'comment')
      setHiddenComments((s) => new Set(s).add(subject.subjectId))
  }, [])
  const markBlocked = useCallback((username: string, blocked: boolean) => {
    followEnded(username)
    setBlocks((m) => new Map(m).set(username, blocked))
  }, [])

  const noteCommentsGone = useCallback((videoId: string, gone: CommentsGone) => {
    setCommentsGone((m) => {
      const before = m.get(videoId)
      // Unchanged: keep the same map, so the lists that report it do not render again.
      const same =
        before !== undefined &&
        before.withheld === gone.withheld &&
        before.ids.size === gone.ids.size &&
        [...gone.ids].every((id) => before.ids.has(id))
      return same ? m : new Map(m).set(videoId, gone)
    })
  }, [])

  const value = useMemo(
    () => ({
      hiddenVideos,
      hiddenComments,
      blocks,
      commentsGone,
      hide,
      markBlocked,
      noteCommentsGone,
    }),
    [hiddenVideos, hiddenComments, blocks, commentsGone, hide, markBlocked, noteCommentsGone],
  )
  return <SafetyContext.Provider value={value}>{children}</SafetyContext.Provider>
}

export function useSafety() {
  const safety = useContext(SafetyContext)
  const { hiddenVideos, hiddenComments, blocks } = safety
  const videoHidden = useCallback(
    (video: { id: string; creator: { username: string } }) =>
      hiddenVideos.has(video.id) || blocks.get(video.creator.username) === true,
    [hiddenVideos, blocks],
  )
  const commentHidden = useCallback(
    (comment: { id: string; author: { username: string } }) =>
      hiddenComments.has(comment.id) || blocks.get(comment.author.username) === true,
    [hiddenComments, blocks],
  )
  // A card's comment count as this viewer's list shows it.
  const commentCount = useCallback(
    (video: { id: string; counts: { comments: number } }) => {
      const gone = safety.commentsGone.get(video.id)
      return Math.max(0, video.counts.comments - (gone ? gone.ids.size + gone.withheld : 0))
    },
    [safety.commentsGone],
  )
  return { ...safety, videoHidden, commentHidden, commentCount }
}

// "Undo" after a block: the API first, then every list shows the creator again.
export function useUnblock() {
  const { markBlocked } = useContext(SafetyContext)
  return useCallback(
    async (username: string) => {
      await setBlocked(username, false)
      markBlocked(username, false)
    },
    [markBlocked],
  )
}
