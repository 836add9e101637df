import { useEffect, useState } from 'react'
import { api } from '../../api/client'
import { messageOf, read } from '../../api/errors'
import { useSession } from '../auth/session'

// Video cards do not say whether the viewer follows the creator, so the
// answer comes from the creator's profile, asked once per creator and viewer per visit.
const known = new Map<string, boolean>()

export function useFollow(username: string, opts: { initial?: boolean; lookup: boolean }) {
  const { user } = useSession()
  const key = `${user?.id ?? ''}:${username}`
  const [following, setFollowing] = useState<boolean | undefined>(opts.initial ?? known.get(key))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

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
