// The FeedState Durable Object's data and the page assembly it runs per request: Thompson
// sampling picks the exploratory share, the session's interest re-ranks the nightly list,
// and the served set guarantees no video appears twice.

import {
  decideExplorationCount,
  decayInterest,
  emptyInterest,
  interestBoost,
  isSuccess,
  priorArms,
  recordArmOutcome,
  updateInterest,
  type Arm,
  type ArmPosteriors,
  type ExplorationOptions,
  type OutcomeEvent,
  type ShortTermInterest,
} from './exploration'
import type { Rng } from './random'
import { DAY_MS, type FeedReason, type ScoredItem } from './types'

// Bounded so the whole state stays one small storage value (ids are ~36 bytes each).
export const MAX_SERVED = 2000
export const MAX_PENDING_OUTCOMES = 100
export const MAX_WATCHED = 1000
// Negative feedback stays bounded too: the newest entries win when a list is full.
export const MAX_HIDDEN = 500
export const MAX_DAMPED = 300

export interface PendingOutcome {
  itemId: string
  arm: Arm
}

export interface FeedState {
  version: 1
  arms: ArmPosteriors
  interest: ShortTermInterest
  // Everything served, oldest first; pages never repeat any of it.
  served: string[]
  // Served items still waiting for an outcome, with the arm that placed them.
  pending: PendingOutcome[]
  // Watched in this session; the nightly lists do not know about them yet.
  watched: string[]
  pagesServed: number
  // Marked "not interested": never served again. Optional so states stored before negative
  // feedback existed still load.
  hidden?: string[]
  // Neighbours of what the user rejected or skipped: id -> score multiplier in (0, 1),
  // oldest entry first (evicted first).
  damped?: Record<string, number>
}

export function createFeedState(now: number): FeedState {
  return {
    version: 1,
    arms: priorArms,
    interest: emptyInterest(now),
    served: [],
    pending: [],
    watched: [],
    pagesServed: 0,
  }
}

export interface FeedEvent {
  itemId: string
  outcome: OutcomeEvent
  // The video's categories, for the interest vector.
  categories: string[]
  at: number
}

function outcomeStrength(outcome: OutcomeEvent): number {
  switch (outcome.kind) {
    case 'like':
      return 1.5
    case 'comment':
      return 2
    case 'skip':
      return -0.5
    case 'watch':
      return outcome.watchFraction >= 0.3 ? 0.4 + 0.6 * Math.min(1, outcome.watchFraction) : -0.2
  }
}

// Only the first outcome of a served item updates its arm, so a watch followed by a like
// (or a redelivered event) counts once.
export function recordFeedEvent(state: FeedState, event: FeedEvent): FeedState {
  let arms = state.arms
  let pending = state.pending
  const placed = pending.find((p) => p.itemId === event.itemId)
  if (placed) {
    arms = recordArmOutcome(arms, placed.arm, isSuccess(event.outcome))
    pending = pending.filter((p) => p.itemId !== event.itemId)
  }
  let watched = state.watched
  if (isSuccess(event.outcome) && !watched.includes(event.itemId)) {
    watched = [...watched, event.itemId].slice(-MAX_WATCHED)
  }
  return {
    ...state,
    arms,
    pending,
    watched,
    interest: updateInterest(
      state.interest,
      event.categories,
      outcomeStrength(event.outcome),
      event.at,
    ),
  }
}

// How far a rejection pushes the closest neighbour down (multiplier 1 - strength), scaled by
// each neighbour's similarity relative to the closest one. "Not interested" is a clear
// statement; a skip is a weak hint the nightly ranking weighs for the long term.
export const NOT_INTERESTED_DAMPING = 0.6
export const SKIP_DAMPING = 0.15
// Only the closest neighbours are damped; the list's tail is barely related.
export const DAMPED_NEIGHBOURS = 20
// Repeated damping compounds, but never to zero: a strong match can still surface later.
export const MIN_DAMPING = 0.05

export function dampNeighbours(
  state: FeedState,
  neighbours: ScoredItem[],
  strength: number,
): FeedState {
  const closest = neighbours.slice(0, DAMPED_NEIGHBOURS).filter((n) => n.score > 0)
  let top = 0
  for (const n of closest) top = Math.max(top, n.score)
  if (top <= 0 || strength <= 0) return state
  const damped: Record<string, number> = { ...state.damped }
  for (const n of closest) {
    const multiplier = 1 - Math.min(1, strength) * Math.min(1, n.score / top)
    const next = Math.max(MIN_DAMPING, (damped[n.itemId] ?? 1) * multiplier)
    // Re-inserted so the entry counts as new when the map is trimmed.
    delete damped[n.itemId]
    damped[n.itemId] = next
  }
  const entries = Object.entries(damped)
  return {
    ...state,
    damped: entries.length > MAX_DAMPED ? Object.fromEntries(entries.slice(-MAX_DAMPED)) : damped,
  }
}

// "Not interested": the clip never comes back, its arm counts a failure, its categories
// lose some session interest, and its neighbours are damped, all before the next page.
export function markNotInterested(
  state: FeedState,
  event: { itemId: string; categories: string[]; neighbours: ScoredItem[]; at: number },
): FeedState {
  const rejected = recordFeedEvent(state, {
    itemId: event.itemId,
    outcome: { kind: 'skip' },
    categories: event.categories,
    at: event.at,
  })
  const hidden = (state.hidden ?? []).filter((id) => id !== event.itemId)
  hidden.push(event.itemId)
  return dampNeighbours(
    { ...rejected, hidden: hidden.slice(-MAX_HIDDEN) },
    event.neighbours.filter((n) => n.itemId !== event.itemId),
    NOT_INTERESTED_DAMPING,
  )
}

export interface ExplorationItem {
  id: string
  createdAt: number
  impressions: number
  published?: boolean
}

export interface ExplorationPoolOptions {
  limit: number
  freshHalfLifeDays: number
  // Impressions at which a video counts as half exposed.
  exposureScale: number
}

export const defaultExplorationPoolOptions: ExplorationPoolOptions = {
  limit: 500,
  freshHalfLifeDays: 3,
  exposureScale: 200,
}

// Fresh and under-exposed published videos, most deserving of a chance first.
export function selectExplorationCandidates(
  items: ExplorationItem[],
  now: number,
  options: Partial<ExplorationPoolOptions> = {},
): string[] {
  const opts = { ...defaultExplorationPoolOptions, ...options }
  return items
    .filter((item) => item.published !== false)
    .map((item) => {
      const age = Math.max(0, now - item.createdAt) / DAY_MS
      const freshness = Math.pow(0.5, age / opts.freshHalfLifeDays)
      const underExposure = 1 / (1 + Math.max(0, item.impressions) / opts.exposureScale)
      return { id: item.id, score: freshness * underExposure }
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
    .slice(0, opts.limit)
    .map((c) => c.id)
}

export interface PageInput {
  // The user's precomputed ranked list (or trending / cold start), best first.
  exploit: ScoredItem[]
  // Exploration pool, best first (selectExplorationCandidates).
  exploration: string[]
  // Categories of a published, visible video; undefined means do not serve it.
  categoriesOf: (itemId: string) => string[] | undefined
}

export interface PageOptions extends ExplorationOptions {
  // How strongly this session's interest re-ranks the nightly list.
  interestWeight: number
  // Exploration picks are drawn from this many leading pool entries.
  explorationWindow: number
  // Whether a short exploit list is filled from the pool. A caller that sent only part of
  // the list turns it off and asks again with the rest instead.
  fillFromPool: boolean
}

export const defaultPageOptions: PageOptions = {
  pageSize: 10,
  minExploratory: 1,
  maxExploratory: 5,
  interestWeight: 0.5,
  explorationWindow: 50,
  fillFromPool: true,
}

export interface PageItem {
  itemId: string
  arm: Arm
  // What placed it: the ranked list's own reason for exploit items, 'explore' for the rest.
  reason?: FeedReason
}

export interface AssembledPage {
  items: PageItem[]
  exploratory: number
  state: FeedState
  // Input ids this state never serves again (served, watched or hidden), so a caller can
  // leave them out of the candidates it re-checks for the next page.
  consumed: string[]
}

export function assembleFeedPage(
  state: FeedState,
  input: PageInput,
  rng: Rng,
  now: number,
  options: Partial<PageOptions> = {},
): AssembledPage {
  const opts = { ...defaultPageOptions, ...options }
  const interest = decayInterest(state.interest, now)
  const blocked = new Set<string>([...state.served, ...state.watched, ...(state.hidden ?? [])])
  const damping = (itemId: string) => state.damped?.[itemId] ?? 1
  const reasons = new Map<string, FeedReason>()

  const exploit = input.exploit
    .flatMap((s, rank) => {
      const categories = blocked.has(s.itemId) ? undefined : input.categoriesOf(s.itemId)
      if (!categories) return []
      if (s.reason && !reasons.has(s.itemId)) reasons.set(s.itemId, s.reason)
      const boost = interestBoost(interest, categories)
      const score = s.score * (1 + opts.interestWeight * boost) * damping(s.itemId)
      return [{ itemId: s.itemId, score, rank }]
    })
    .sort((a, b) => b.score - a.score || a.rank - b.rank)

  const wanted = decideExplorationCount(state.arms, rng, opts)
  const explorePool: Array<{ itemId: string; weight: number }> = []
  for (const itemId of input.exploration) {
    if (explorePool.length >= opts.explorationWindow) break
    if (blocked.has(itemId)) continue
    const categories = input.categoriesOf(itemId)
    if (!categories) continue
    const weight = Math.max(0.1, 1 + interestBoost(interest, categories)) * damping(itemId)
    explorePool.push({ itemId, weight })
  }

  const taken = new Set<string>()
  const explored: string[] = []
  while (explored.length < wanted && explorePool.length > 0) {
    const pick = weightedPick(explorePool, rng)
    const [chosen] = explorePool.splice(pick, 1)
    if (chosen && !taken.has(chosen.itemId)) {
      explored.push(chosen.itemId)
      taken.add(chosen.itemId)
    }
  }
  const exploited: string[] = []
  for (const e of exploit) {
    if (exploited.length + explored.length >= opts.pageSize) break
    if (taken.has(e.itemId)) continue
    exploited.push(e.itemId)
    taken.add(e.itemId)
  }
  // A short exploit list (new catalogue, exhausted user) is filled from the pool.
  while (
    opts.fillFromPool &&
    exploited.length + explored.length < opts.pageSize &&
    explorePool.length > 0
  ) {
    const [chosen] = explorePool.splice(weightedPick(explorePool, rng), 1)
    if (chosen && !taken.has(chosen.itemId)) {
      explored.push(chosen.itemId)
      taken.add(chosen.itemId)
    }
  }

  const items = interleave(exploited, explored, rng).map((item) => {
    const reason = item.arm === 'explore' ? { kind: 'explore' as const } : reasons.get(item.itemId)
    return reason ? { ...item, reason } : item
  })
  const servedIds = items.map((i) => i.itemId)
  const consumed: string[] = []
  for (const s of input.exploit) if (blocked.has(s.itemId)) consumed.push(s.itemId)
  for (const itemId of input.exploration) if (blocked.has(itemId)) consumed.push(itemId)
  return {
    items,
    exploratory: explored.length,
    consumed,
    state: {
      ...state,
      interest,
      served: [...state.served, ...servedIds].slice(-MAX_SERVED),
      pending: [...state.pending, ...items.map(({ itemId, arm }) => ({ itemId, arm }))].slice(
        -MAX_PENDING_OUTCOMES,
      ),
      pagesServed: state.pagesServed + 1,
    },
  }
}

function weightedPick(pool: Array<{ weight: number }>, rng: Rng): number {
  let total = 0
  for (const p of pool) total += p.weight
  let target = rng() * total
  for (let i = 0; i < pool.length; i++) {
    target -= pool[i]?.weight ?? 0
    if (target < 0) return i
  }
  return pool.length - 1
}

// Exploratory items go to random slots; exploit items keep their order in the rest, so the
// best match still tends to come first.
function interleave(exploited: string[], explored: string[], rng: Rng): PageItem[] {
  const size = exploited.length + explored.length
  const slots = Array.from({ length: size }, (_, i) => i)
  for (let i = 0; i < explored.length; i++) {
    const j = i + Math.floor(rng() * (size - i))
    const a = slots[i] ?? 0
    slots[i] = slots[j] ?? 0
    slots[j] = a
  }
  const exploreSlots = new Set(slots.slice(0, explored.length))
  const items: PageItem[] = []
  let e = 0
  let x = 0
  for (let slot = 0; slot < size; slot++) {
    if (exploreSlots.has(slot)) items.push({ itemId: explored[x++] ?? '', arm: 'explore' })
    else items.push({ itemId: exploited[e++] ?? '', arm: 'exploit' })
  }
  return items
}
