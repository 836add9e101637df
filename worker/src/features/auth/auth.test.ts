import { describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { call, db, makeUser } from '../../../test/helpers'
import { loginFailures, sessions, userInterests, users } from '../../db/schema'
import { lockoutKey } from './lockout'

const signUp = (over: Record<string, unknown> = {}) =>
  call('POST', '/api/auth/register', {
    body: {
      username: `Ann_${crypto.randomUUID().slice(0, 8)}`,
      email: `ann${crypto.randomUUID().slice(0, 8)}@example.test`,
      password: 'correct horse battery',
      interests: ['comedy', 'food'],
      ...over,
    },
  })

const cookieOf = (headers: Headers) => {
  const set = headers.get('Set-Cookie') ?? ''
  const match = /cs_session=([^;]+)/.exec(set)
  return match ? `cs_session=${match[1]}` : ''
}

describe('auth: happy path', () => {
  it('registers with interests, sets a hardened cookie, and knows who you are', async () => {
    const res = await signUp({ username: 'Maya.K', email: 'Maya@Example.test' })
    expect(res.status).toBe(201)
    expect(res.json.user).toMatchObject({
      username: 'maya.k',
      email: 'maya@example.test',
      role: 'user',
    })
    expect(res.json.user.interests.map((i: { id: string }) => i.id).sort()).toEqual([
      'comedy',
      'food',
    ])
    const setCookie = res.headers.get('Set-Cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/Secure/)
    expect(setCookie).toMatch(/SameSite=Lax/)
    const [row] = await db().select().from(users).where(eq(users.username, 'maya.k'))
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/)
    expect(row?.passwordHash).not.toContain('correct horse')
    const me = await call('GET', '/api/auth/me', {
      user: { id: '', username: '', role: 'user', cookie: cookieOf(res.headers) },
    })
    expect(me.status).toBe(200)
    expect(me.json.user.username).toBe('maya.k')
  })

  it('logs in and logs out, and logout really revokes the session', async () => {
    const email = `lou${crypto.randomUUID().slice(0, 6)}@example.test`
    await signUp({ email, password: 'longenough1' })
    const login = await call('POST', '/api/auth/login', {
      body: { email, password: 'longenough1' },
    })
    expect(login.status).toBe(200)
    const cookie = cookieOf(login.headers)
    const who = { id: '', username: '', role: 'user' as const, cookie }
    expect((await call('GET', '/api/auth/me', { user: who })).status).toBe(200)
    const session = await call('GET', '/api/auth/session', { user: who })
    expect(session.json.user.email).toBe(email)
    expect((await call('POST', '/api/auth/logout', { user: who })).status).toBe(200)
    expect((await call('GET', '/api/auth/me', { user: who })).status).toBe(401)
    const after = await call('GET', '/api/auth/session', { user: who })
    expect(after.status).toBe(200)
    expect(after.json).toEqual({ user: null })
    const token = cookie.split('=')[1] ?? ''
    const stored = await db().select().from(sessions)
    expect(stored.some((s) => s.tokenHash === token)).toBe(false)
  })
})

describe('auth: errors', () => {
  it('rejects short passwords, bad emails and unknown interests with field errors', async () => {
    const short = await signUp({ password: 'short' })
    expect(short.status).toBe(400)
    expect(short.json.error.code).toBe('invalid_input')
    expect(short.json.error.details[0].path).toBe('password')
    const email = await signUp({ email: 'not-an-email' })
    expect(email.json.error.details[0].path).toBe('email')
    const interests = await signUp({ interests: ['no-such-category'] })
    expect(interests.status).toBe(400)
  })

  it('refuses a taken username or email, case-insensitively, creating nothing', async () => {
    const first = await signUp({ username: 'dupe_name' })
    expect(first.status).toBe(201)
    const again = await signUp({ username: 'DUPE_name' })
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('username_taken')
    const rows = await db().select().from(users).where(eq(users.username, 'dupe_name'))
    expect(rows).toHaveLength(1)
  })

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const email = `wp${crypto.randomUUID().slice(0, 6)}@example.test`
    await signUp({ email, password: 'the-right-one' })
    const wrong = await call('POST', '/api/auth/login', {
      body: { email, password: 'the-wrong-one' },
    })
    const unknown = await call('POST', '/api/auth/login', {
      body: { email: 'nobody@example.test', password: 'whatever1' },
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.json.error.message).toBe(unknown.json.error.message)
  })
})

describe('auth: security', () => {
  it('refuses cookie-authenticated changes from another origin or without one', async () => {
    const u = await makeUser()
    const evil = await call('PATCH', '/api/me', {
      user: u,
      body: { bio: 'pwned' },
      origin: 'https://evil.example',
    })
    expect(evil.status).toBe(403)
    expect(evil.json.error.code).toBe('bad_origin')
    const none = await call('PATCH', '/api/me', { user: u, body: { bio: 'pwned' }, origin: null })
    expect(none.status).toBe(403)
    const [row] = await db().select().from(users).where(eq(users.id, u.id))
    expect(row?.bio).toBe('')
  })

  it('does not let a banned user act, nor log in', async () => {
    const banned = await makeUser({ banned: true })
    const res = await call('PATCH', '/api/me', { user: banned, body: { bio: 'hello' } })
    expect(res.status).toBe(403)
    expect(res.json.error.code).toBe('banned')
  })

  it('treats an expired or forged session as anonymous', async () => {
    const u = await makeUser()
    await db()
      .update(sessions)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(sessions.userId, u.id))
    expect((await call('GET', '/api/auth/me', { user: u })).status).toBe(401)
    const forged = { ...u, cookie: 'cs_session=forged-token' }
    expect((await call('GET', '/api/auth/me', { user: forged })).status).toBe(401)
  })

  it('stores interests only from the known list', async () => {
    const res = await signUp({ interests: ['comedy', 'comedy'] })
    expect(res.status).toBe(201)
    const rows = await db()
      .select()
      .from(userInterests)
      .where(eq(userInterests.userId, res.json.user.id))
    expect(rows).toHaveLength(1)
  })
})

describe('auth: abuse resistance', () => {
  it('locks an email + IP after 5 wrong passwords; the right one is refused until the window passes', async () => {
    const email = `lock${crypto.randomUUID().slice(0, 6)}@example.test`
    expect((await signUp({ email, password: 'the-right-one' })).status).toBe(201)
    const ip = '203.0.113.7'
    const attempt = (password: string, from = ip) =>
      call('POST', '/api/auth/login', { body: { email, password }, ip: from })
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401)
    const locked = await attempt('the-right-one')
    expect(locked.status).toBe(429)
    expect(locked.json.error.code).toBe('login_locked')
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(14 * 60)
    // Attempts while locked do not push the end of the lock further out.
    for (let i = 0; i < 3; i++) expect((await attempt('again')).status).toBe(429)
    // The victim, from their own address, is not locked out.
    expect((await attempt('the-right-one', '198.51.100.20')).status).toBe(200)
    // When the window has passed (moved back in D1), the right password works.
    const key = await lockoutKey(email, ip)
    const [row] = await db().select().from(loginFailures).where(eq(loginFailures.key, key))
    expect(row?.failures).toBe(9)
    await db()
      .update(loginFailures)
      .set({ firstAt: (row?.firstAt ?? 0) - 15 * 60 * 1000 })
      .where(eq(loginFailures.key, key))
    expect((await attempt('the-right-one')).status).toBe(200)
  })

  it('many wrong passwords at once still get at most 5 checks', async () => {
    const email = `burst${crypto.randomUUID().slice(0, 6)}@example.test`
    const ip = '203.0.113.9'
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call('POST', '/api/auth/login', { body: { email, password: `guess-${i}` }, ip }),
      ),
    )
    expect(results.filter((r) => r.status === 401)).toHaveLength(5)
    expect(results.filter((r) => r.status === 429)).toHaveLength(7)
  })

  it('unknown emails are locked out like known ones (no enumeration through the lock)', async () => {
    const ip = '203.0.113.11'
    const known = `known${crypto.randomUUID().slice(0, 6)}@example.test`
    await signUp({ email: known, password: 'the-right-one' })
    const unknown = `nobody${crypto.randomUUID().slice(0, 6)}@example.test`
    const answers = async (email: string) => {
      const out = []
      for (let i = 0; i < 6; i++) {
        const res = await call('POST', '/api/auth/login', {
          body: { email, password: 'nope-nope' },
          ip,
        })
        out.push(`${res.status} ${res.json.error.code}`)
      }
      return out
    }
    expect(await answers(known)).toEqual(await answers(unknown))
  })

  it('refuses common passwords, spaces only, and the email or username as password', async () => {
    for (const password of [
      'password',
      '12345678',
      'qwertyuiop',
      'Password',
      '        ',
      'aaaaaaaa',
    ]) {
      const res = await signUp({ password })
      expect(res.status, password).toBe(400)
      expect(res.json.error.details[0].path).toBe('password')
    }
    const sameAsEmail = await signUp({
      email: 'mirror.me@example.test',
      password: 'mirror.me@example.test',
    })
    expect(sameAsEmail.status).toBe(400)
    const sameAsUser = await signUp({ username: 'handle_123', password: 'HANDLE_123' })
    expect(sameAsUser.status).toBe(400)
    expect((await signUp({ password: 'a long pass phrase' })).status).toBe(201)
  })

  it('a sign-up with a taken email gets a generic refusal that does not say the email exists', async () => {
    const email = `taken${crypto.randomUUID().slice(0, 6)}@example.test`
    expect((await signUp({ email })).status).toBe(201)
    const again = await signUp({ email })
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('signup_refused')
    expect(JSON.stringify(again.json)).not.toMatch(/email/i)
    const rows = await db().select().from(users).where(eq(users.email, email))
    expect(rows).toHaveLength(1)
  })
})
