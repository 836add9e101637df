import { useEffect, useRef, useState } from 'react'
import { api } from '../../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import { useSession } from '../auth/session'
import { useSafety } from '../safety/safety'

// Video cards do not say whether the viewer follows the creator, so the
// answer comes from the creator's profile, asked once per creator and viewer per visit.
const known = new Map<string, boolean>()

// After a block (or unblock) of `username`: nobody follows them from this browser any more.
export function followEnded(username: string) {
  for (const key of known.keys()) if (key.endsWith(`:${username}`)) known.set(key, false)
}

export function useFollow(username: string, opts: { initial?: boolean; lookup: boolean }) {
  const { user } = useSession()
  const key = `${user?.id ?? ''}:${username}`
  const [following, setFollowing] = useState<boolean | undefined>(opts.initial ?? known.get(key))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // A block ends follows both ways on the server: every Follow button for that creator that is
  // on screen (this slide, the clip page, the profile and its follower count) says so at once,
  // and after an unblock the viewer is not following them either. Only a change counts: a
  // button mounted later reads `known`, which followEnded already cleared.
  const blocked = useSafety().blocks.get(username)
  const blockedBefore = useRef(blocked)
  useEffect(() => {
    if (blockedBefore.current === blocked) return
    blockedBefore.current = blocked
    setFollowing(false)
  }, [blocked])

  useEffect(() => {
    if (!opts.lookup || following !== undefined) return
    let live = true
    read(api.users[':username'].$get({ param: { username } })).then(
      ({ profile }) => {
        known.set(key, profile.isFollowing)
        if (live) setFollowing(profile.isFollowing)
      },
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [username, key, opts.lookup, following])

  const toggle = async () => {
    const want = !following
    setBusy(true)
    setError(null)
    const route = api.users[':username'].follow
    try {
      const param = { username }
      const body = want ? await read(route.$post({ param })) : await read(route.$delete({ param }))
      known.set(key, body.following)
      setFollowing(body.following)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return { following: following ?? false, busy, error, toggle }
}
