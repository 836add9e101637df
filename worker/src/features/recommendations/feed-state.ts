import { DurableObject } from 'cloudflare:workers'
import {
  assembleFeedPage,
  createFeedState,
  createRng,
  dampNeighbours,
  hashSeed,
  markNotInterested,
  recordFeedEvent,
  similarItems,
  SKIP_DAMPING,
  type FeedState as FeedStateData,
  type PageItem,
  type ScoredItem,
  type StoredSimilarList,
} from './engine'
import { kvKeys } from './store'

// A page's arguments as the Worker sends them: flat arrays of strings and numbers. The call's
// arguments are cloned on both sides, and a clone of one object keyed by ~80 ids plus an
// object per list item cost ~0.1 ms of CPU per side at a page's size, these flat arrays a
// few microseconds (bench/recs/README.md). `nextPageInput` builds it from the plain form.
export interface NextPageInput {
  userId: string
  // The user's ranked list (nightly, or cold start / trending), best first, and its scores
  // (same positions).
  exploit: string[]
  scores: number[]
  // Fresh, under-exposed videos, best first.
  exploration: string[]
  // Every id the Worker re-checked against D1 and found visible, and its categories
  // (same positions, comma-separated); an id missing here is never served (unpublished,
  // private, removed, banned creator, or watched).
  checked: string[]
  categories: string[]
  now: number
  pageSize: number
  // The rest of a page whose first part came out short (the Worker re-checked only part of
  // the candidates): skips were applied already, the page count stays, and the pool only
  // fills what the list cannot.
  topUp?: boolean
  // False when `exploit` is only part of the list: a short page is then left short (the
  // Worker sends the rest) rather than filled from the pool.
  fillFromPool?: boolean
}

export function nextPageInput(
  input: Omit<NextPageInput, 'exploit' | 'scores' | 'checked' | 'categories'> & {
    exploit: Array<{ itemId: string; score: number }>
    // Each visible id's categories, comma-separated (as the re-check reads them from D1).
    categoriesOf: Map<string, string>
  },
): NextPageInput {
  const { exploit, categoriesOf, ...rest } = input
  return {
    ...rest,
    exploit: exploit.map((s) => s.itemId),
    scores: exploit.map((s) => s.score),
    checked: [...categoriesOf.keys()],
    categories: [...categoriesOf.values()],
  }
}

export interface NextPage {
  items: PageItem[]
  exploratory: number
  page: number
  // Candidates this user is never served again (served, watched, hidden).
  consumed: string[]
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
//
// The object also keeps what it stored in memory (`held`): it is the only writer of its
// storage, and every method below updates both at once, so a page reads no storage while the
// object stays loaded (a storage get returns a fresh copy of the value, deserialized each
// time). Each page still writes its state before it answers, so a page served is never
// forgotten, whatever happens to the object after (an eviction, a deploy): pages never repeat.
interface Held {
  state: FeedStateData | undefined
  glanced: Record<string, string[]>
  quick: string[]
}

export class FeedState extends DurableObject<Env> {
  private held: Held | undefined

  private async stored(): Promise<Held> {
    if (!this.held) {
      // One storage read for the three keys (each read is a query of the object's SQLite).
      const stored = await this.ctx.storage.get<unknown>([STATE_KEY, GLANCED_KEY, QUICK_KEY])
      // Another call may have loaded it meanwhile (the read let it in): that copy is as new.
      this.held ??= {
        state: stored.get(STATE_KEY) as FeedStateData | undefined,
        glanced: (stored.get(GLANCED_KEY) as Record<string, string[]> | undefined) ?? {},
        quick: (stored.get(QUICK_KEY) as string[] | undefined) ?? [],
      }
    }
    return this.held
  }

  private async load(now: number): Promise<FeedStateData> {
    return (await this.stored()).state ?? createFeedState(now)
  }

  // Writes go to storage and to the held copy together.
  private async save(values: Partial<Held>, remove: (keyof Held)[] = []): Promise<void> {
    const held = await this.stored()
    const puts: Record<string, unknown> = {}
    if (values.state) puts[STATE_KEY] = values.state
    if (values.glanced) puts[GLANCED_KEY] = values.glanced
    if (values.quick) puts[QUICK_KEY] = values.quick
    Object.assign(held, values)
    if (remove.includes('glanced')) held.glanced = {}
    if (remove.includes('quick')) held.quick = []
    const keys = remove.map((k) => (k === 'glanced' ? GLANCED_KEY : QUICK_KEY))
    // Both in one implicit transaction (no await between them).
    const writes = [
      this.ctx.storage.put(puts),
      ...(keys.length > 0 ? [this.ctx.storage.delete(keys)] : []),
    ]
    await Promise.all(writes)
  }

  private async neighboursOf(itemId: string): Promise<ScoredItem[]> {
    const list = await this.env.RECS.get<StoredSimilarList>(kvKeys.similar(itemId), 'json')
    return similarItems(list) ?? []
  }

  async nextPage(input: NextPageInput): Promise<NextPage> {
    const stored = await this.stored()
    let state = stored.state ?? createFeedState(input.now)
    const glanced = input.topUp ? {} : stored.glanced
    const quick = input.topUp ? [] : stored.quick
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
    const categoriesOf = new Map<string, string[]>()
    input.checked.forEach((id, i) => {
      const categories = input.categories[i]
      categoriesOf.set(id, categories ? categories.split(',') : [])
    })
    const page = assembleFeedPage(
      state,
      {
        exploit: input.exploit.map((itemId, i) => ({ itemId, score: input.scores[i] ?? 0 })),
        exploration: input.exploration,
        categoriesOf: (id) => categoriesOf.get(id),
      },
      rng,
      input.now,
      {
        pageSize: input.pageSize,
        ...(input.topUp ? { minExploratory: 0, maxExploratory: 0 } : {}),
        ...(input.fillFromPool === false ? { fillFromPool: false } : {}),
      },
    )
    const next = input.topUp ? { ...page.state, pagesServed: state.pagesServed } : page.state
    const done: (keyof Held)[] = [
      ...(Object.keys(glanced).length > 0 ? (['glanced'] as const) : []),
      ...(quick.length > 0 ? (['quick'] as const) : []),
    ]
    await this.save({ state: next }, done)
    return {
      items: page.items,
      exploratory: page.exploratory,
      page: next.pagesServed,
      consumed: page.consumed,
    }
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
    await this.save({ state })
  }

  async recordEvent(event: FeedStateEvent): Promise<void> {
    const stored = await this.stored()
    let state = stored.state ?? createFeedState(event.at)
    // Copies: the held ones change only through save().
    const glanced = { ...stored.glanced }
    const pending = state.pending.some((p) => p.itemId === event.itemId)
    if (event.kind === 'watch' && event.watchFraction < WATCH_INTEREST && pending) {
      // Still watching, perhaps: decide when the user moves on.
      glanced[event.itemId] = event.categories
      const quick = new Set(stored.quick)
      const early =
        event.position !== undefined
          ? event.position <= QUICK_SKIP_SECONDS
          : event.watchFraction < QUICK_SKIP_FRACTION
      if (early) quick.add(event.itemId)
      else quick.delete(event.itemId)
      await this.save({ glanced, quick: [...quick] })
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
    if (event.itemId in glanced) {
      delete glanced[event.itemId]
      await this.save({ state, glanced })
    } else {
      await this.save({ state })
    }
  }

  async snapshot(): Promise<FeedStateData | null> {
    return (await this.stored()).state ?? null
  }
}

export function feedStateOf(env: Env, userId: string): DurableObjectStub<FeedState> {
  return env.FEED_STATE.get(env.FEED_STATE.idFromName(userId))
}
