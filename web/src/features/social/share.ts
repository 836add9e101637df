// The system share sheet where there is one (phones); otherwise the link is copied.
export async function shareClip(
  id: string,
  title: string,
): Promise<'shared' | 'copied' | 'failed'> {
  const url = new URL(`/v/${id}`, location.origin).href
  if (typeof navigator.share === 'function') {
    try {
      await navigator.share({ title, url })
      return 'shared'
    } catch {
      // Dismissed sheets land here too; fall through to copying.
    }
  }
  try {
    await navigator.clipboard.writeText(url)
    return 'copied'
  } catch {
    return 'failed'
  }
}
