import { useEffect, useMemo, useState } from 'react'
import type { FormEvent } from 'react'
import { Link } from 'react-router-dom'
import { api } from '../../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { Comment, CommentPage, Moderation } from '../../api/types'
import { EmptyState, ErrorState, Loading } from '../../ui/states'
import { useAsync } from '@clipstream/frontend-kit/useAsync'
import { useSession } from '../auth/session'
import { useSafety, useUnblock } from '../safety/safety'
import type { SafetyOutcome } from '../safety/SafetyActions'
import { SafetyNotice } from '../safety/SafetyMenu'
import { CommentItem } from './CommentItem'
import { ModerationFeedback } from './ModerationFeedback'

type Reply = Comment['replies'][number]

// Comments that count in the clip's comment count (published, not hidden by the creator; the
// API gives others' comments no status) and are gone from this viewer's list: a hidden
// comment's replies leave with it.
function goneFromCount(
  comments: Comment[],
  hidden: (c: Comment | Reply) => boolean,
): ReadonlySet<string> {
  const counted = (c: Comment | Reply) => (c.status ?? 'published') === 'published' && !c.hidden
  const gone = new Set<string>()
  for (const c of comments) {
    const all = hidden(c)
    if (all && counted(c)) gone.add(c.id)
    for (const r of c.replies) if ((all || hidden(r)) && counted(r)) gone.add(r.id)
  }
  return gone
}

// `creatorId`: the clip's creator, who may hide or delete others' comments under it.
export function CommentsPanel({ videoId, creatorId }: { videoId: string; creatorId?: string }) {
  const { user } = useSession()
  const page = useAsync<CommentPage>(
    () => read(api.videos[':id'].comments.$get({ param: { id: videoId }, query: {} })),
    `comments:${videoId}:${user?.id ?? ''}`,
  )
  const [more, setMore] = useState<{ comments: Comment[]; cursor: string | null } | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [body, setBody] = useState('')
  const [replyTo, setReplyTo] = useState<Comment | Reply | null>(null)
  const [posting, setPosting] = useState(false)
  const [feedback, setFeedback] = useState<Moderation | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [safetyNotice, setSafetyNotice] = useState<SafetyOutcome | null>(null)
  const { commentHidden, noteCommentsGone } = useSafety()
  const unblock = useUnblock()
  // The clip's comment count elsewhere on the page (the feed's comment button) drops by what
  // a report or block took out of this list (and comes back with an unblock), and by what the
  // server left out for this viewer.
  const loaded = page.status === 'ready' ? (more ? more.comments : page.data.comments) : null
  const gone = useMemo(() => goneFromCount(loaded ?? [], commentHidden), [loaded, commentHidden])
  // An answer without it (from before the field existed) leaves nothing out.
  const withheld = page.status === 'ready' ? (page.data.withheld ?? 0) : 0
  useEffect(
    () => noteCommentsGone(videoId, { ids: gone, withheld }),
    [videoId, gone, withheld, noteCommentsGone],
  )

  if (page.status === 'loading') return <Loading label="Loading comments" />
  if (page.status === 'error') return <ErrorState message={page.error} onRetry={page.reload} />

  // Reported comments and blocked authors leave the list for this viewer at once.
  const comments = (more ? more.comments : page.data.comments)
    .filter((c) => !commentHidden(c))
    .map((c) => ({ ...c, replies: c.replies.filter((r) => !commentHidden(r)) }))
  const cursor = more ? more.cursor : page.data.nextCursor
  const setComments = (next: Comment[]) => setMore({ comments: next, cursor })

  const loadMore = async () => {
    if (!cursor) return
    setLoadingMore(true)
    try {
      const next = await read(
        api.videos[':id'].comments.$get({ param: { id: videoId }, query: { cursor } }),
      )
      const seen = new Set(comments.map((c) => c.id))
      setMore({
        comments: [...comments, ...next.comments.filter((c) => !seen.has(c.id))],
        cursor: next.nextCursor,
      })
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setLoadingMore(false)
    }
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!body.trim()) return
    setPosting(true)
    setError(null)
    setFeedback(null)
    // Replies go one level deep: answering a reply answers its thread.
    const parentId = replyTo ? (replyTo.parentId ?? replyTo.id) : undefined
    try {
      const posted = await read(
        api.videos[':id'].comments.$post({ param: { id: videoId }, json: { body, parentId } }),
      )
      setFeedback(posted.moderation)
      setBody('')
      setReplyTo(null)
      // The author keeps seeing their own comment whatever the verdict, as the list does.
      setComments(
        parentId
          ? comments.map((c) =>
              c.id === parentId ? { ...c, replies: [...c.replies, posted.comment] } : c,
            )
          : [{ ...posted.comment, replies: [] }, ...comments],
      )
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setPosting(false)
    }
  }

  const curating = !!user && user.id === creatorId

  // Deleting one's own comment reports failure in the list; a creator's delete reports it in
  // the confirmation that asked (it rethrows).
  const remove = async (id: string, rethrow = false) => {
    setError(null)
    try {
      await read(api.comments[':id'].$delete({ param: { id } }))
      setComments(
        comments
          .filter((c) => c.id !== id)
          .map((c) => ({ ...c, replies: c.replies.filter((r) => r.id !== id) })),
      )
    } catch (err) {
      if (rethrow) throw err
      setError(messageOf(err))
    }
  }
  const markHidden = (id: string, hidden: boolean) =>
    setComments(
      comments.map((c) =>
        c.id === id
          ? { ...c, hidden }
          : { ...c, replies: c.replies.map((r) => (r.id === id ? { ...r, hidden } : r)) },
      ),
    )

  return (
    <div className="comments">
      {safetyNotice && (
        <SafetyNotice
          outcome={safetyNotice}
          onUndo={
            safetyNotice.kind === 'blocked'
              ? () =>
                  void unblock(safetyNotice.username).then(
                    () => setSafetyNotice({ kind: 'unblocked', username: safetyNotice.username }),
                    (err: unknown) => setError(messageOf(err)),
                  )
              : undefined
          }
        />
      )}
      {comments.length === 0 ? (
        <EmptyState title="No comments yet" body="Start the conversation." />
      ) : (
        <ul className="comment-list">
          {comments.map((c) => (
            <li key={c.id}>
              <CommentItem
                comment={c}
                mine={c.author.id === user?.id}
                curating={curating}
                onDelete={(id) => remove(id, curating && c.author.id !== user?.id)}
                onHidden={markHidden}
                onReply={user ? setReplyTo : undefined}
                onSafety={setSafetyNotice}
              />
              {c.replies.length > 0 && (
                <ul className="comment-replies">
                  {c.replies.map((r) => (
                    <li key={r.id}>
                      <CommentItem
                        comment={r}
                        mine={r.author.id === user?.id}
                        curating={curating}
                        onDelete={(id) => remove(id, curating && r.author.id !== user?.id)}
                        onHidden={markHidden}
                        onSafety={setSafetyNotice}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <button
          type="button"
          className="button"
          disabled={loadingMore}
          onClick={() => void loadMore()}
        >
          {loadingMore ? 'Loading…' : 'More comments'}
        </button>
      )}
      {feedback && <ModerationFeedback moderation={feedback} />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {user ? (
        <form className="comment-form" onSubmit={(e) => void submit(e)}>
          {replyTo && (
            <p className="muted">
              Replying to @{replyTo.author.username}{' '}
              <button type="button" className="link-button" onClick={() => setReplyTo(null)}>
                Cancel
              </button>
            </p>
          )}
          <label className="visually-hidden" htmlFor={`comment-${videoId}`}>
            Add a comment
          </label>
          <textarea
            id={`comment-${videoId}`}
            value={body}
            maxLength={1000}
            rows={2}
            placeholder="Add a comment…"
            onChange={(e) => setBody(e.target.value)}
          />
          <button
            type="submit"
            className="button button-primary"
            disabled={posting || !body.trim()}
          >
            {posting ? 'Posting…' : 'Post'}
          </button>
        </form>
      ) : (
        <p className="muted">
          <Link to={`/login?next=/v/${videoId}`}>Log in</Link> to comment.
        </p>
      )}
    </div>
  )
}
