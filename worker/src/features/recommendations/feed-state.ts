import { DurableObject } from 'cloudflare:workers'
import {
  assembleFeedPage,
  createFeedState,
  createRng,
  dampNeighbours,
  hashSeed,
  markNotInterested,
  recordFeedEvent,
  SKIP_DAMPING,
  type FeedState as FeedStateData,
  type PageItem,
  type ScoredItem,
} from './engine'
import { kvKeys, type ScoredList } from './store'

export interface NextPageInput {
  userId: string
  // The user's ranked list (nightly, or cold start / trending), best first.
  exploit: ScoredItem[]
  // Fresh, under-exposed videos, best first.
  exploration: string[]
  // Categories of every id the Worker re-checked against D1; an id missing here is never
  // served (unpublished, private, removed, banned creator, or watched).
  categoriesOf: Record<string, string[]>
  now: number
  pageSize: number
}

export interface NextPage {
  items: PageItem[]
  exploratory: number
  page: number
}

export type FeedStateEvent =
  | {
      kind: 'watch'
      itemId: string
      watchFraction: number
      // Where playback got to, in seconds (fraction x duration), when the duration is known.
      position?: number
      categories: string[]
      at: number
    }
  | { kind: 'like' | 'comment'; itemId: string; categories: string[]; at: number }

const WATCH_INTEREST = 0.3
const STATE_KEY = 'state'
// Served items watched below the threshold; they count as skips once the user asks for the
// next page (moved on), unless a later report pushes them past the threshold.
const GLANCED_KEY = 'glanced'
// The glanced clips left within their first seconds: skips proper, which also damp the
// clip's neighbours when the user moves on. A separate key keeps stored `glanced` maps
// loadable.
const QUICK_KEY = 'quick'
const QUICK_SKIP_SECONDS = 5
// Without a known duration, only a clip left this early counts as a quick skip.
const QUICK_SKIP_FRACTION = 0.1
// Neighbour lists read per page for skips; more skips than this in one page are rare, and
// the nightly ranking still counts every one.
const MAX_SKIPS_DAMPED = 10

// Per-user feed state: what was served, the Thompson posteriors of the exploit and explore
// arms, the short-term interest vector and the outcomes still pending. One instance per
// user; each method reads, updates and writes the state within one input gate, so requests
// of the same user are applied one after another.
export class FeedState extends DurableObject<Env> {
  private async load(now: number): Promise<FeedStateData> {
    return (await this.ctx.storage.get<FeedStateData>(STATE_KEY)) ?? createFeedState(now)
  }

  private async neighboursOf(itemId: string): Promise<ScoredItem[]> {
    const list = await this.env.RECS.get<ScoredList>(kvKeys.similar(itemId), 'json')
    return list?.items ?? []
  }

  async nextPage(input: NextPageInput): Promise<NextPage> {
    let state = await this.load(input.now)
    const glanced = (await this.ctx.storage.get<Record<string, string[]>>(GLANCED_KEY)) ?? {}
    const quick = (await this.ctx.storage.get<string[]>(QUICK_KEY)) ?? []
    for (const [itemId, categories] of Object.entries(glanced)) {
      state = recordFeedEvent(state, {
        itemId,
        outcome: { kind: 'skip' },
        categories,
        at: input.now,
      })
    }
    const skipped = quick.filter((id) => id in glanced).slice(-MAX_SKIPS_DAMPED)
    const neighbours = await Promise.all(skipped.map((id) => this.neighboursOf(id)))
    for (const list of neighbours) state = dampNeighbours(state, list, SKIP_DAMPING)
    const rng = createRng(hashSeed(input.userId, state.pagesServed))
    const page = assembleFeedPage(
      state,
      {
        exploit: input.exploit,
        exploration: input.exploration,
        categoriesOf: (id) => input.categoriesOf[id],
      },
      rng,
      input.now,
      { pageSize: input.pageSize },
    )
    await this.ctx.storage.put(STATE_KEY, page.state)
    if (Object.keys(glanced).length > 0) await this.ctx.storage.delete(GLANCED_KEY)
    if (quick.length > 0) await this.ctx.storage.delete(QUICK_KEY)
    return { items: page.items, exploratory: page.exploratory, page: page.state.pagesServed }
  }

  // "Not interested" on a clip: hidden from every later page and its neighbours damped, so
  // the very next page already differs. Idempotent apart from compounding the damping,
  // which is bounded.
  async notInterested(event: { itemId: string; categories: string[]; at: number }): Promise<void> {
    const [loaded, neighbours] = await Promise.all([
      this.load(event.at),
      this.neighboursOf(event.itemId),
    ])
    if (loaded.hidden?.includes(event.itemId)) return
    const state = markNotInterested(loaded, { ...event, neighbours })
    await this.ctx.storage.put(STATE_KEY, state)
  }

  async recordEvent(event: FeedStateEvent): Promise<void> {
    let state = await this.load(event.at)
    const glanced = (await this.ctx.storage.get<Record<string, string[]>>(GLANCED_KEY)) ?? {}
    const pending = state.pending.some((p) => p.itemId === event.itemId)
    if (event.kind === 'watch' && event.watchFraction < WATCH_INTEREST && pending) {
      // Still watching, perhaps: decide when the user moves on.
      glanced[event.itemId] = event.categories
      const quick = new Set((await this.ctx.storage.get<string[]>(QUICK_KEY)) ?? [])
      const early =
        event.position !== undefined
          ? event.position <= QUICK_SKIP_SECONDS
          : event.watchFraction < QUICK_SKIP_FRACTION
      if (early) quick.add(event.itemId)
      else quick.delete(event.itemId)
      await this.ctx.storage.put({ [GLANCED_KEY]: glanced, [QUICK_KEY]: [...quick] })
      return
    }
    state = recordFeedEvent(state, {
      itemId: event.itemId,
      outcome:
        event.kind === 'watch'
          ? { kind: 'watch', watchFraction: event.watchFraction }
          : { kind: event.kind },
      categories: event.categories,
      at: event.at,
    })
    await this.ctx.storage.put(STATE_KEY, state)
    if (event.itemId in glanced) {
      delete glanced[event.itemId]
      await this.ctx.storage.put(GLANCED_KEY, glanced)
    }
  }

  async snapshot(): Promise<FeedStateData | null> {
    return (await this.ctx.storage.get<FeedStateData>(STATE_KEY)) ?? null
  }
}

export function feedStateOf(env: Env, userId: string): DurableObjectStub<FeedState> {
  return env.FEED_STATE.get(env.FEED_STATE.idFromName(userId))
}
