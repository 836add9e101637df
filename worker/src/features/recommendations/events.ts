// Interactions reach the user's FeedState at once, so the next page already reflects them.
// A feed that is a moment behind is better than a failed like: this never throws.

import { feedStateOf } from './feed-state'

export type FeedInteraction =
  | { kind: 'watch'; videoId: string; fraction: number }
  | { kind: 'like' | 'comment'; videoId: string }

export async function recordFeedEvent(
  env: Env,
  userId: string,
  interaction: FeedInteraction,
): Promise<void> {
  try {
    const { results } = await env.DB.prepare(
      `SELECT category_id FROM video_categories WHERE video_id = ?1`,
    )
      .bind(interaction.videoId)
      .all<{ category_id: string }>()
    const categories = results.map((r) => r.category_id)
    const at = Date.now()
    const stub = feedStateOf(env, userId)
    if (interaction.kind === 'watch') {
      await stub.recordEvent({
        kind: 'watch',
        itemId: interaction.videoId,
        watchFraction: interaction.fraction,
        categories,
        at,
      })
    } else {
      await stub.recordEvent({
        kind: interaction.kind,
        itemId: interaction.videoId,
        categories,
        at,
      })
    }
  } catch (err) {
    console.error(
      JSON.stringify({ level: 'error', event: 'feed-event-failed', userId, error: String(err) }),
    )
  }
}
