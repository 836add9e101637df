// Whole anonymous pages (trending, latest, category), cached per isolate and shared through KV,
// so that in the steady state an anonymous page reads no D1 at all.
import { kvKeys } from './store'

// Anonymous pages are the same for everyone: a page is kept whole, in this isolate and in KV
// for the other isolates, and rebuilt from D1 in the background once it is 30 s old. None is
// ever served older than 60 s, so a takedown (rejection, deletion, ban) leaves every cached
// anonymous page within a minute whatever else happens; the clip's own page and signed-in
// feeds read D1 and lose it at once.
const ANONYMOUS_FRESH_MS = 30_000
export const ANONYMOUS_MAX_AGE_MS = 60_000
const ANONYMOUS_PAGES_MAX = 1000
// KV's shortest expiry; readers go by builtAt, this only clears out old pages.
const ANONYMOUS_KV_TTL_SECONDS = 120

interface CachedPage {
  builtAt: number
  body: unknown
}

const anonymousPages = new Map<string, CachedPage>()
const refreshing = new Set<string>()
// Part of the shared (KV) key; only forgetAnonymousPages (tests) moves it, so that pages cached
// before are not read back from KV.
let pageEpoch = 0
const sharedKey = (key: string) => kvKeys.anonymousPage(`${pageEpoch}:${key}`)

function keepAnonymousPage(key: string, page: CachedPage): void {
  anonymousPages.delete(key)
  anonymousPages.set(key, page)
  for (const old of anonymousPages.keys()) {
    if (anonymousPages.size <= ANONYMOUS_PAGES_MAX) break
    anonymousPages.delete(old)
  }
}

async function buildAnonymousPage<T>(
  env: Env,
  key: string,
  build: () => Promise<T>,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<T> {
  const builtAt = Date.now()
  const body = await build()
  const page: CachedPage = { builtAt, body }
  keepAnonymousPage(key, page)
  // Isolates refreshing the same page at once may exceed KV's one write per key per second:
  // the page is then shared a little later, nothing else changes.
  waitUntil(
    env.RECS.put(sharedKey(key), JSON.stringify(page), {
      expirationTtl: ANONYMOUS_KV_TTL_SECONDS,
    }).catch((err: unknown) => {
      console.error(
        JSON.stringify({ level: 'warn', event: 'anonymous-page-share', key, error: String(err) }),
      )
    }),
  )
  return body
}

// `key` names the page (route, cursor, limit); `build` makes it from D1 for nobody in
// particular. The caller guarantees the body holds nothing personal.
export async function cachedAnonymousPage<T>(
  env: Env,
  key: string,
  build: () => Promise<T>,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<T> {
  const now = Date.now()
  let page = anonymousPages.get(key)
  if (!page || now - page.builtAt >= ANONYMOUS_FRESH_MS) {
    const shared = await env.RECS.get<CachedPage>(sharedKey(key), 'json')
    if (shared && (!page || shared.builtAt > page.builtAt)) {
      page = shared
      keepAnonymousPage(key, shared)
    }
  }
  const age = page ? now - page.builtAt : Infinity
  // The body is what `build` returned for this same key.
  if (page && age < ANONYMOUS_FRESH_MS) return page.body as T
  if (page && age < ANONYMOUS_MAX_AGE_MS) {
    if (!refreshing.has(key)) {
      refreshing.add(key)
      waitUntil(
        buildAnonymousPage(env, key, build, waitUntil)
          .catch((err: unknown) => {
            console.error(
              JSON.stringify({
                level: 'error',
                event: 'anonymous-page-refresh',
                key,
                error: String(err),
              }),
            )
          })
          .finally(() => refreshing.delete(key)),
      )
    }
    return page.body as T
  }
  return buildAnonymousPage(env, key, build, waitUntil)
}

// Tests create and hide videos and expect the next request to see it.
export function forgetAnonymousPages(): void {
  anonymousPages.clear()
  pageEpoch++
}
