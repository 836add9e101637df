// Train/test splits of a real interaction log, shared by the converters and the tuning
// step, so that a validation split is cut from train exactly as test is cut from the log.

import { createRng } from '../../src/features/recommendations/engine'
import type { Interaction } from '../../src/features/recommendations/engine'

export interface LogSplit {
  train: Interaction[]
  test: Interaction[]
}

// Each user's last `share` of interactions by time is held out (users with at least
// `minInteractions`; lighter users stay whole in train). Ties in time keep log order.
export function splitPerUserByTime(
  log: Interaction[],
  share: number,
  minInteractions = 5,
): LogSplit {
  const byUser = new Map<string, Interaction[]>()
  for (const i of log) {
    const list = byUser.get(i.userId)
    if (list) list.push(i)
    else byUser.set(i.userId, [i])
  }
  const train: Interaction[] = []
  const test: Interaction[] = []
  for (const history of byUser.values()) {
    const ordered = history
      .map((interaction, position) => ({ interaction, position }))
      .sort((a, b) => a.interaction.at - b.interaction.at || a.position - b.position)
      .map((e) => e.interaction)
    const held = ordered.length >= minInteractions ? Math.ceil(ordered.length * share) : 0
    train.push(...ordered.slice(0, ordered.length - held))
    test.push(...ordered.slice(ordered.length - held))
  }
  const byTime = (a: Interaction, b: Interaction): number => a.at - b.at
  return { train: train.sort(byTime), test: test.sort(byTime) }
}

// For a log without times (Last.fm's listening counts): each user's interactions in a seeded
// random order, all at one time. A per-user "last by time" split then holds out a random
// share (ties keep this order), and the engine sees no order it could mistake for recency.
export function shuffleWithinUsers(log: Interaction[], at: number, seed: number): Interaction[] {
  const rng = createRng(seed)
  const byUser = new Map<string, Interaction[]>()
  for (const i of log) byUser.set(i.userId, [...(byUser.get(i.userId) ?? []), { ...i, at }])
  const out: Interaction[] = []
  for (const history of byUser.values()) {
    for (let i = history.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1))
      const a = history[i]
      const b = history[j]
      if (a && b) {
        history[i] = b
        history[j] = a
      }
    }
    out.push(...history)
  }
  return out
}
