import { useState } from 'react'
import { api } from '../../api/client'
import { messageOf, read } from '@clipstream/frontend-kit/errors'
import type { VideoCard } from '../../api/types'

// Optimistic like: the heart fills at once and settles on the server's count.
export function useLike(video: VideoCard) {
  const [liked, setLiked] = useState(video.likedByMe)
  const [count, setCount] = useState(video.counts.likes)
  const [error, setError] = useState<string | null>(null)

  const setLike = async (want: boolean) => {
    if (want === liked) return
    const before = { liked, count }
    setLiked(want)
    setCount((c) => c + (want ? 1 : -1))
    setError(null)
    const route = api.videos[':id'].like
    try {
      const param = { id: video.id }
      const body = want ? await read(route.$post({ param })) : await read(route.$delete({ param }))
      setLiked(body.liked)
      setCount(body.likeCount)
    } catch (err) {
      setLiked(before.liked)
      setCount(before.count)
      setError(messageOf(err))
    }
  }

  return { liked, count, error, toggle: () => setLike(!liked), like: () => setLike(true) }
}
