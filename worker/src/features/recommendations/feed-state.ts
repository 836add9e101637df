import { DurableObject } from 'cloudflare:workers'
import {
  assembleFeedPage,
  createFeedState,
  createRng,
  hashSeed,
  recordFeedEvent,
  type FeedState as FeedStateData,
  type PageItem,
  type ScoredItem,
} from './engine'

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
  | { kind: 'watch'; itemId: string; watchFraction: number; categories: string[]; at: number }
  | { kind: 'like' | 'comment'; itemId: string; categories: string[]; at: number }

const WATCH_INTEREST = 0.3
const STATE_KEY = 'state'
// Served items watched below the threshold; they count as skips once the user asks for the
// next page (moved on), unless a later report pushes them past the threshold.
const GLANCED_KEY = 'glanced'

// Per-user feed state: what was served, the Thompson posteriors of the exploit and explore
// arms, the short-term interest vector and the outcomes still pending. One instance per
// user; each method reads, updates and writes the state within one input gate, so requests
// of the same user are applied one after another.
export class FeedState extends DurableObject<Env> {
  private async load(now: number): Promise<FeedStateData> {
    return (await this.ctx.storage.get<FeedStateData>(STATE_KEY)) ?? createFeedState(now)
  }

  async nextPage(input: NextPageInput): Promise<NextPage> {
    let state = await this.load(input.now)
    const glanced = (await this.ctx.storage.get<Record<string, string[]>>(GLANCED_KEY)) ?? {}
    for (const [itemId, categories] of Object.entries(glanced)) {
      state = recordFeedEvent(state, {
        itemId,
        outcome: { kind: 'skip' },
        categories,
        at: input.now,
      })
    }
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
    return { items: page.items, exploratory: page.exploratory, page: page.state.pagesServed }
  }

  async recordEvent(event: FeedStateEvent): Promise<void> {
    let state = await this.load(event.at)
    const glanced = (await this.ctx.storage.get<Record<string, string[]>>(GLANCED_KEY)) ?? {}
    const pending = state.pending.some((p) => p.itemId === event.itemId)
    if (event.kind === 'watch' && event.watchFraction < WATCH_INTEREST && pending) {
      // Still watching, perhaps: decide when the user moves on.
      glanced[event.itemId] = event.categories
      await this.ctx.storage.put(GLANCED_KEY, glanced)
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
