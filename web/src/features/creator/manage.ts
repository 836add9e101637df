import type { InferResponseType } from 'hono/client'
import { api } from '../../api/client'
import { read } from '@clipstream/frontend-kit/errors'
import { useAsync } from '@clipstream/frontend-kit/useAsync'

export type Appeal = InferResponseType<(typeof api.appeals)['$get'], 200>['appeals'][number]
export type AppealSubject = Appeal['subjectType']
export type ClipEdit = NonNullable<Parameters<(typeof api.videos)[':id']['$patch']>[0]['json']>

// A clip's status a creator may appeal: a decision that keeps it from being seen.
export const APPEALABLE: Record<AppealSubject, readonly string[]> = {
  video: ['rejected', 'in_review'],
  comment: ['rejected', 'held'],
}

export async function editClip(id: string, json: ClipEdit) {
  return (await read(api.videos[':id'].$patch({ param: { id }, json }))).video
}

export async function deleteClip(id: string, status: string | undefined) {
  // An upload that never finished is cancelled through its own route (it also drops the parts).
  if (status === 'uploading') {
    await read(api.uploads[':id'].$delete({ param: { id } }))
    return
  }
  await read(api.videos[':id'].$delete({ param: { id } }))
}

export async function fileAppeal(subjectType: AppealSubject, subjectId: string, message: string) {
  return (await read(api.appeals.$post({ json: { subjectType, subjectId, message } }))).appeal
}

export async function myAppeals(query: { subjectType?: AppealSubject; subjectId?: string }) {
  return (await read(api.appeals.$get({ query }))).appeals
}

// The signed-in creator's appeals on their clips, for grids of their own clips (My videos,
// their profile). Per clip: the appeal, null when there is none, or undefined while that is
// not known (still loading, or the request failed): then no "Appeal" is offered, because an
// appeal may exist and a second one would be refused.
export function useMyClipAppeals(userId: string | null) {
  const appeals = useAsync(
    () => (userId ? myAppeals({ subjectType: 'video' }) : Promise.resolve([])),
    `my-appeals:${userId ?? ''}`,
  )
  return (videoId: string): Appeal | null | undefined =>
    appeals.status === 'ready'
      ? (appeals.data.find((a) => a.subjectId === videoId) ?? null)
      : undefined
}

export async function setCommentHidden(id: string, hidden: boolean) {
  const call = hidden
    ? api.comments[':id'].hide.$post({ param: { id } })
    : api.comments[':id'].hide.$delete({ param: { id } })
  return (await read(call)).hidden
}
