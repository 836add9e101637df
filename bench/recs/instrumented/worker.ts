// The benchmark build of the Worker: the production app, with its D1, KV and Durable Object
// bindings wrapped so every request counts what it asked of storage. Production never loads
// this file; `bench/recs/feed.mjs` starts `wrangler dev` on it and reads the counts from
// GET /api/__bench/counts (per route, summed since the last ?reset=1).
import { app } from '../../../worker/src/app'
import { visibleCategoriesStatement } from '../../../worker/src/features/recommendations/serving-reads'
import { reasonLabelsStatement } from '../../../worker/src/features/recommendations/reasons'
import production, { FeedState as ProductionFeedState } from '../../../worker/src/index'

export { TranscoderContainer } from '../../../worker/src/index'

// The production object with one method more, for /api/__bench/doput: a storage write of a
// page's state's size, without the page.
export class FeedState extends ProductionFeedState {
  async benchWrite(bytes: number): Promise<void> {
    await this.ctx.storage.put('bench', 'x'.repeat(bytes))
  }
}

// /api/__bench/d1feed: the signed-in feed's two statements (the re-check with the session's
// confirmation, and the reasons' labels) for a page's ~80 candidates, as one batch.
const BENCH_CANDIDATES = Array.from({ length: 80 }, (_, i) => `bench-${i * 7}`)
const BENCH_REASONS = BENCH_CANDIDATES.slice(0, 30).map((id, i) =>
  i % 3 === 0
    ? { kind: 'watched' as const, itemId: id }
    : { kind: 'category' as const, category: i % 2 === 0 ? 'recipes' : 'memes' },
)

interface Counts {
  requests: number
  // D1 calls that started while no other D1 call of the same request was in flight: the
  // round trips a viewer waits for one after another.
  d1RoundTrips: number
  d1Statements: number
  kvReads: number
  doCalls: number
  maxD1RoundTrips: number
  // Statements run after the response (waitUntil: cache refreshes, stats): no viewer waits
  // for them, but D1 still serves them.
  backgroundD1Statements: number
  // Only on requests that carry `x-bench-profile` (the profile phase): bytes handed to the
  // FeedState DO (its arguments as JSON) and bytes of the KV values read.
  doArgBytes: number
  kvBytes: number
}

const emptyCounts = (): Counts => ({
  requests: 0,
  d1RoundTrips: 0,
  d1Statements: 0,
  kvReads: 0,
  doCalls: 0,
  maxD1RoundTrips: 0,
  backgroundD1Statements: 0,
  doArgBytes: 0,
  kvBytes: 0,
})

class RequestCounter {
  counts = emptyCounts()
  constructor(readonly sizes: boolean) {}
  private inFlight = 0

  async d1<T>(statements: number, call: () => Promise<T>): Promise<T> {
    if (this.inFlight === 0) this.counts.d1RoundTrips++
    this.counts.d1Statements += statements
    this.inFlight++
    try {
      return await call()
    } finally {
      this.inFlight--
    }
  }
}

// Wrapped statements keep the real one, so batch() can hand D1 what it prepared.
const realStatement = new WeakMap<object, D1PreparedStatement>()

function wrapStatement(real: D1PreparedStatement, counter: RequestCounter): D1PreparedStatement {
  const wrapped: D1PreparedStatement = {
    bind: (...values: unknown[]) => wrapStatement(real.bind(...values), counter),
    first: ((column?: string) =>
      counter.d1(1, () =>
        column === undefined ? real.first() : real.first(column),
      )) as D1PreparedStatement['first'],
    run: (() => counter.d1(1, () => real.run())) as D1PreparedStatement['run'],
    all: (() => counter.d1(1, () => real.all())) as D1PreparedStatement['all'],
    raw: ((options?: { columnNames?: boolean }) =>
      counter.d1(1, () =>
        options?.columnNames ? real.raw({ columnNames: true }) : real.raw(),
      ) as Promise<unknown[]>) as D1PreparedStatement['raw'],
  }
  realStatement.set(wrapped, real)
  return wrapped
}

function wrapD1(db: D1Database, counter: RequestCounter): D1Database {
  const wrapped: D1Database = {
    prepare: (query: string) => wrapStatement(db.prepare(query), counter),
    batch: ((statements: D1PreparedStatement[]) =>
      counter.d1(statements.length, () =>
        db.batch(statements.map((s) => realStatement.get(s) ?? s)),
      )) as D1Database['batch'],
    exec: (query: string) => counter.d1(1, () => db.exec(query)),
    withSession: (constraint?: string) => db.withSession(constraint),
    dump: () => db.dump(),
  }
  return wrapped
}

function wrapKv(kv: KVNamespace, counter: RequestCounter): KVNamespace {
  return new Proxy(kv, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      const method = value as (...args: unknown[]) => unknown
      return (...args: unknown[]) => {
        if (prop === 'get' || prop === 'getWithMetadata') {
          // A get of several keys at once is one read of each.
          counter.counts.kvReads += Array.isArray(args[0]) ? args[0].length : 1
          if (counter.sizes) {
            return (method.apply(target, args) as Promise<unknown>).then((value) => {
              counter.counts.kvBytes +=
                typeof value === 'string' ? value.length : (JSON.stringify(value)?.length ?? 0)
              return value
            })
          }
        }
        return method.apply(target, args)
      }
    },
  })
}

const STUB_FIELDS = new Set(['id', 'name', 'then', 'dup', 'toJSON'])

function wrapDurableObjects<T extends object>(ns: T, counter: RequestCounter): T {
  return new Proxy(ns, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      const method = value as (...args: unknown[]) => unknown
      if (prop !== 'get') return (...args: unknown[]) => method.apply(target, args)
      return (...args: unknown[]) => {
        const stub = method.apply(target, args) as object
        // An RPC stub answers any property name, so the stub's own fields are let through by
        // name, and methods are called on the stub itself (a method taken off it and applied
        // elsewhere does not reach the object).
        return new Proxy(stub, {
          get(s, name) {
            if (typeof name === 'symbol' || STUB_FIELDS.has(name)) return Reflect.get(s, name)
            return (...a: unknown[]) => {
              counter.counts.doCalls++
              if (counter.sizes) counter.counts.doArgBytes += JSON.stringify(a).length
              const methods = s as Record<string, (...args: unknown[]) => unknown>
              return methods[name]?.(...a)
            }
          },
        })
      }
    },
  })
}

const totals = new Map<string, Counts>()

// Routes are told apart by path and by whether a session cookie came with them.
function routeKey(request: Request): string {
  const url = new URL(request.url)
  const signedIn = /(?:^|;\s*)cs_session=/.test(request.headers.get('Cookie') ?? '')
  return `${request.method} ${url.pathname}${signedIn ? ' (signed in)' : ''}`
}

function report(reset: boolean): Response {
  const out: Record<string, Record<string, number>> = {}
  for (const [route, c] of totals) {
    const per = (n: number) => Number((n / Math.max(1, c.requests)).toFixed(3))
    out[route] = {
      requests: c.requests,
      d1RoundTripsPerRequest: per(c.d1RoundTrips),
      maxD1RoundTrips: c.maxD1RoundTrips,
      d1StatementsPerRequest: per(c.d1Statements),
      kvReadsPerRequest: per(c.kvReads),
      doCallsPerRequest: per(c.doCalls),
      backgroundD1StatementsPerRequest: per(c.backgroundD1Statements),
      doArgBytesPerRequest: per(c.doArgBytes),
      kvBytesPerRequest: per(c.kvBytes),
    }
  }
  if (reset) totals.clear()
  return Response.json(out)
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === '/api/__bench/counts') return report(url.searchParams.has('reset'))
    // What one D1 round trip costs the local runtime by itself: the same tiny response, with
    // and without a DB.batch() of one trivial statement (no app, no middleware either way).
    if (url.pathname === '/api/__bench/none') return Response.json({ ok: true })
    if (url.pathname === '/api/__bench/d1') {
      await env.DB.batch([env.DB.prepare('SELECT 1 AS one')])
      return Response.json({ ok: true })
    }
    // And what one Durable Object call costs it: a FeedState that holds nothing answers its
    // snapshot (null) from memory after the first call; then the same after a D1 batch, the
    // least a signed-in feed page can do (one round trip, one DO call).
    if (url.pathname === '/api/__bench/do') {
      await env.FEED_STATE.get(env.FEED_STATE.idFromName('bench-nobody')).snapshot()
      return Response.json({ ok: true })
    }
    if (url.pathname === '/api/__bench/doput') {
      // The binding's class is this file's FeedState, which the Env type does not know.
      const objects = env.FEED_STATE as unknown as DurableObjectNamespace<FeedState>
      await objects.get(objects.idFromName('bench-nobody')).benchWrite(8000)
      return Response.json({ ok: true })
    }
    if (url.pathname === '/api/__bench/d1feed') {
      await env.DB.batch([
        visibleCategoriesStatement(env.DB, BENCH_CANDIDATES, {
          userId: 'bench-user-1',
          watchedThreshold: 0.3,
          confirmSession: 'bench-no-such-session',
        }),
        ...[reasonLabelsStatement(env.DB, BENCH_REASONS, 'bench-user-1')].flatMap((s) =>
          s ? [s] : [],
        ),
      ])
      return Response.json({ ok: true })
    }
    if (url.pathname === '/api/__bench/d1do') {
      await env.DB.batch([env.DB.prepare('SELECT 1 AS one')])
      await env.FEED_STATE.get(env.FEED_STATE.idFromName('bench-nobody')).snapshot()
      return Response.json({ ok: true })
    }
    const counter = new RequestCounter(request.headers.has('x-bench-profile'))
    const counted: Env = {
      ...env,
      DB: wrapD1(env.DB, counter),
      RECS: wrapKv(env.RECS, counter),
      CONFIG: wrapKv(env.CONFIG, counter),
      FEED_STATE: wrapDurableObjects(env.FEED_STATE, counter),
    }
    const pending: Promise<unknown>[] = []
    const tracked: ExecutionContext = {
      waitUntil: (promise) => {
        pending.push(promise)
        ctx.waitUntil(promise)
      },
      passThroughOnException: () => ctx.passThroughOnException(),
      props: ctx.props,
      exports: ctx.exports,
    }
    const response = await app.fetch(request, counted, tracked)
    const key = routeKey(request)
    const sum = totals.get(key) ?? emptyCounts()
    const c = counter.counts
    sum.requests++
    sum.d1RoundTrips += c.d1RoundTrips
    sum.d1Statements += c.d1Statements
    sum.kvReads += c.kvReads
    sum.doCalls += c.doCalls
    sum.doArgBytes += c.doArgBytes
    sum.kvBytes += c.kvBytes
    sum.maxD1RoundTrips = Math.max(sum.maxD1RoundTrips, c.d1RoundTrips)
    totals.set(key, sum)
    const atResponse = c.d1Statements
    ctx.waitUntil(
      (async () => {
        // Background work may start more background work (a refreshed page is then stored).
        for (let seen = 0; seen < pending.length;) {
          const batch = pending.slice(seen)
          seen = pending.length
          await Promise.allSettled(batch)
        }
        sum.backgroundD1Statements += c.d1Statements - atResponse
      })(),
    )
    return response
  },
  queue: production.queue,
  scheduled: production.scheduled,
} satisfies ExportedHandler<Env, unknown>
