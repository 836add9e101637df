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
    const { categories, duration } = await videoFacts(env.DB, interaction.videoId)
    const at = Date.now()
    const stub = feedStateOf(env, userId)
    if (interaction.kind === 'watch') {
      await stub.recordEvent({
        kind: 'watch',
        itemId: interaction.videoId,
        watchFraction: interaction.fraction,
        // Where playback got to tells a skip (left in the first seconds) from a short watch.
        ...(duration ? { position: interaction.fraction * duration } : {}),
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

async function videoFacts(
  db: D1Database,
  videoId: string,
): Promise<{ categories: string[]; duration: number | null }> {
  const row = await db
    .prepare(
      `SELECT v.duration_seconds AS duration,
         (SELECT group_concat(category_id) FROM video_categories WHERE video_id = v.id) AS cats
       FROM videos v WHERE v.id = ?1`,
    )
    .bind(videoId)
    .first<{ duration: number | null; cats: string | null }>()
  return { categories: row?.cats ? row.cats.split(',') : [], duration: row?.duration ?? null }
}

// "Not interested": stored in D1 (the durable record every later page and the nightly
// ranking read) and handed to the user's FeedState at once, so the next page drops the clip
// and damps its neighbours. Repeating it changes nothing.
export async function markNotInterested(env: Env, userId: string, videoId: string): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO not_interested (user_id, video_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING`,
  )
    .bind(userId, videoId)
    .run()
  try {
    const { categories } = await videoFacts(env.DB, videoId)
    await feedStateOf(env, userId).notInterested({ itemId: videoId, categories, at: Date.now() })
  } catch (err) {
    // The D1 row already keeps the clip out of every page; only the damping waits.
    console.error(
      JSON.stringify({
        level: 'error',
        event: 'not-interested-failed',
        userId,
        error: String(err),
      }),
    )
  }
}
