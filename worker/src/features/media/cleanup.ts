// Removes every R2 object of a video (source, renditions, frames, poster).
// Idempotent: running it twice deletes nothing the second time.
export async function deleteVideoMedia(env: Env, videoId: string) {
  const prefixes = [`videos/${videoId}/`, `uploads/${videoId}/`]
  for (const prefix of prefixes) {
    let cursor: string | undefined
    do {
      const page = await env.MEDIA.list({ prefix, cursor, limit: 1000 })
      if (page.objects.length) await env.MEDIA.delete(page.objects.map((o) => o.key))
      cursor = page.truncated ? page.cursor : undefined
    } while (cursor)
  }
}
