import { describe, expect, it } from 'vitest'
import { exports } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { call, callTheAppDirectly, db, makeUser, makeVideo } from '../../../test/helpers'
import { users } from '../../db/schema'
import { RATE_LIMIT_PERIOD_SECONDS, RATE_LIMITS, type Action } from './rate-limits'

// The binding counts in fixed windows (Miniflare: aligned to the period). A
// burst that straddles two windows is not over the limit in either, so a
// failure that happened across a window edge is run again with fresh keys.
const windowOf = () => Math.floor(Date.now() / (RATE_LIMIT_PERIOD_SECONDS * 1000))
async function inOneWindow(run: () => Promise<void>) {
  for (let attempt = 0; ; attempt++) {
    const started = windowOf()
    try {
      await run()
      return
    } catch (err) {
      if (windowOf() === started || attempt >= 2) throw err
    }
  }
}

// Runs `count` calls, a few at a time (hundreds at once only queue up in D1).
async function burst(count: number, one: (i: number) => Promise<number>) {
  const statuses: number[] = []
  for (let i = 0; i < count; i += 10) {
    const chunk = Array.from({ length: Math.min(10, count - i) }, (_, j) => one(i + j))
    statuses.push(...(await Promise.all(chunk)))
  }
  return statuses
}

const ip = () => {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3))
  return `192.${a}.${b}.${c}`
}

// A request per action; bodies may be invalid, since a refused or failing
// request counts like any other (that is what stops floods of junk).
function request(action: Action, videoId: string, username: string) {
  switch (action) {
    case 'signup':
      return { method: 'POST', path: '/api/auth/register', body: { username: 'x' } }
    case 'login':
      return { method: 'POST', path: '/api/auth/login', body: { nope: true } }
    case 'comment':
      return { method: 'POST', path: `/api/videos/${videoId}/comments`, body: { body: '' } }
    case 'reply':
      return {
        method: 'POST',
        path: `/api/videos/${videoId}/comments`,
        body: { body: '', parentId: 'someone' },
      }
    case 'report':
      return { method: 'POST', path: '/api/reports', body: { subjectType: 'planet' } }
    case 'like':
      return { method: 'POST', path: `/api/videos/${videoId}/like` }
    case 'follow':
      return { method: 'POST', path: `/api/users/${username}/follow` }
    case 'upload':
      return { method: 'POST', path: '/api/uploads', body: { title: '' } }
    case 'edit':
      return { method: 'PATCH', path: `/api/videos/${videoId}`, body: { title: '' } }
    case 'delete':
      return { method: 'DELETE', path: `/api/videos/${videoId}` }
    case 'curate':
      return { method: 'POST', path: '/api/comments/no-such-comment/hide' }
    case 'appeal':
      return { method: 'POST', path: '/api/appeals', body: { subjectType: 'planet' } }
    case 'answer-appeal':
      return { method: 'POST', path: '/api/moderation/appeals/nope/decision', body: {} }
    case 'profile-image':
      return { method: 'DELETE', path: '/api/me/avatar' }
  }
}

// About 1,500 requests in one file (see callTheAppDirectly).
callTheAppDirectly()

describe('rate limits: every row of the table', () => {
  it('per account: the limit passes, the next request gets 429 with Retry-After', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    const actions: [Action, number][] = RATE_LIMITS.flatMap((r) =>
      r.perAccount ? [[r.action, r.perAccount] as [Action, number]] : [],
    )
    actions.push(['reply', 20])
    for (const [action, limit] of actions) {
      await inOneWindow(async () => {
        const user = await makeUser()
        const { method, path, body } = request(action, video, creator.username)
        const statuses = await burst(limit, () =>
          call(method, path, { user, body, ip: ip() }).then((r) => r.status),
        )
        expect(
          statuses.filter((s) => s === 429),
          action,
        ).toEqual([])
        const over = await call(method, path, { user, body, ip: ip() })
        expect(over.status, `${action} over the limit`).toBe(429)
        expect(over.headers.get('Retry-After')).toBe(String(RATE_LIMIT_PERIOD_SECONDS))
        expect(over.json.error).toMatchObject({ code: 'rate_limited' })
        expect(typeof over.json.error.requestId).toBe('string')
        // Someone else is not affected.
        const other = await call(method, path, { user: await makeUser(), body, ip: ip() })
        expect(other.status).not.toBe(429)
        const [row] = await db().select().from(users).where(eq(users.id, user.id))
        expect(row?.rateLimitedAt).toBeGreaterThan(Date.now() - 60_000)
      })
    }
    // About 330 calls over 14 rows; on a loaded 2-core machine that took over 120 s.
  }, 300_000)

  for (const rule of RATE_LIMITS) {
    it(`per IP: ${rule.action} from one address, over many accounts, stops at ${rule.perIp}`, async () => {
      const accounts = await Promise.all(Array.from({ length: 10 }, () => makeUser()))
      await inOneWindow(async () => {
        const address = ip()
        const { method, path, body } = request(rule.action, 'no-such-video', 'no_such_user')
        const statuses = await burst(rule.perIp, (i) => {
          const user = rule.perAccount ? accounts[i % accounts.length] : null
          return call(method, path, { user, body, ip: address }).then((r) => r.status)
        })
        expect(statuses.filter((s) => s === 429)).toEqual([])
        const over = await call(method, path, { body, ip: address })
        expect(over.status).toBe(429)
        expect(over.headers.get('Retry-After')).toBe(String(RATE_LIMIT_PERIOD_SECONDS))
        expect((await call(method, path, { body, ip: ip() })).status).not.toBe(429)
      })
    }, 120_000)
  }
})

describe('rate limits: what the issue saw', () => {
  it('one account cannot post 120 comments in a burst; replies count apart', async () => {
    const creator = await makeUser()
    const video = await makeVideo(creator.id)
    await inOneWindow(async () => {
      const spammer = await makeUser()
      const statuses = []
      for (let i = 0; i < 12; i++) {
        const res = await call('POST', `/api/videos/${video}/comments`, {
          user: spammer,
          body: { body: '' },
        })
        statuses.push(res.status)
      }
      expect(statuses).toEqual([...Array<number>(10).fill(400), 429, 429])
      const reply = await call('POST', `/api/videos/${video}/comments`, {
        user: spammer,
        body: { body: '', parentId: 'x' },
      })
      expect(reply.status).toBe(400)
    })
  })

  it('sign-ups from one address: the sixth and later in a minute are refused', async () => {
    await inOneWindow(async () => {
      const address = ip()
      const statuses = []
      for (let i = 0; i < 8; i++) {
        const name = `rl_${crypto.randomUUID().slice(0, 8)}`
        const res = await call('POST', '/api/auth/register', {
          ip: address,
          body: { username: name, email: `${name}@example.test`, password: 'a long pass phrase' },
        })
        statuses.push(res.status)
      }
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429])
    })
  })

  it('IPv6 clients are counted per /64', async () => {
    await inOneWindow(async () => {
      const prefix = `2001:db8:${Math.floor(Math.random() * 65535).toString(16)}:1`
      const statuses = []
      for (let i = 0; i < 6; i++) {
        const res = await call('POST', '/api/auth/register', {
          ip: `${prefix}::${i + 1}`,
          body: { username: 'x' },
        })
        statuses.push(res.status)
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
    })
  })
})

describe('request bodies and origins', () => {
  it('a body over the route limit gets 413 before it is parsed, in the error shape', async () => {
    const u = await makeUser()
    const big = JSON.stringify({ bio: 'x'.repeat(70 * 1024) })
    const res = await call('PATCH', '/api/me', { user: u, rawBody: big })
    expect(res.status).toBe(413)
    expect(res.json.error.code).toBe('too_large')
    const [row] = await db().select().from(users).where(eq(users.id, u.id))
    expect(row?.bio).toBe('')
  })

  it('the Origin check trusts configured origins, not the Host header', async () => {
    const u = await makeUser()
    // The request's own URL (from Host) is not a reason to trust its Origin.
    const res = await exports.default.fetch(
      new Request('http://evil.example/api/me', {
        method: 'PATCH',
        headers: {
          Cookie: u.cookie,
          Origin: 'http://evil.example',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ bio: 'pwned' }),
      }),
    )
    expect(res.status).toBe(403)
  })
})
