import { eq, inArray } from 'drizzle-orm'
import { Hono } from 'hono'
import type { AppEnv } from '../../context'
import { parentCategories, userInterests, users } from '../../db/schema'
import { ApiError } from '../../lib/errors'
import { newId } from '../../lib/ids'
import { validate } from '../../lib/validate'
import { requireUser, userOf } from './middleware'
import { DUMMY_HASH, hashPassword, verifyPassword } from './password'
import { loginInput, registerInput } from './schema'
import {
  clearSessionCookie,
  createSession,
  readSessionToken,
  revokeSession,
  setSessionCookie,
} from './session'
import { loadMe } from '../users/service'
import { clientIp } from '../limits/rate-limits'
import { clearLoginAttempts, lockoutKey, takeLoginAttempt } from './lockout'
import { passwordProblem } from './password-policy'

// The same words whether the email already has an account or a race lost.
const signupRefused = () =>
  new ApiError(
    409,
    'signup_refused',
    'We could not create an account with these details. If you already have one, log in.',
  )

export const authRoutes = new Hono<AppEnv>()
  .post('/register', validate('json', registerInput), async (c) => {
    const input = c.req.valid('json')
    const db = c.var.db
    const interests = [...new Set(input.interests)]
    if (interests.length) {
      const known = await db
        .select({ id: parentCategories.id })
        .from(parentCategories)
        .where(inArray(parentCategories.id, interests))
      if (known.length !== interests.length) {
        throw new ApiError(400, 'invalid_input', 'interests: unknown category', [
          { path: 'interests', message: 'Pick categories from the list' },
        ])
      }
    }
    const problem = passwordProblem(input.password, input)
    if (problem) {
      throw new ApiError(400, 'invalid_input', `password: ${problem}`, [
        { path: 'password', message: problem },
      ])
    }
    // Hashed before looking for clashes, so a taken email costs the same time.
    const passwordHash = await hashPassword(input.password)
    const taken = await db
      .select({ username: users.username, email: users.email })
      .from(users)
      .where(eq(users.username, input.username))
      .union(
        db
          .select({ username: users.username, email: users.email })
          .from(users)
          .where(eq(users.email, input.email)),
      )
    // Usernames are public (profiles), so a taken one can be named. Whether
    // an email has an account is not said: the answer is the same generic
    // refusal a failed insert gets, and sign-ups are rate limited per IP.
    if (taken.some((row) => row.username === input.username)) {
      throw new ApiError(409, 'username_taken', 'That username is taken', [
        { path: 'username', message: 'That username is taken' },
      ])
    }
    if (taken.length) throw signupRefused()
    const id = newId()
    try {
      await db.batch([
        db.insert(users).values({
          id,
          username: input.username,
          email: input.email,
          passwordHash,
          displayName: input.username,
        }),
        ...interests.map((p) =>
          db.insert(userInterests).values({ userId: id, parentCategoryId: p }),
        ),
      ])
    } catch (err) {
      // Two sign-ups racing for the same name: the unique index decides.
      if (String(err).includes('UNIQUE')) throw signupRefused()
      throw err
    }
    const { token } = await createSession(db, id)
    setSessionCookie(c, token)
    return c.json({ user: await loadMe(db, id) }, 201)
  })
  .post('/login', validate('json', loginInput), async (c) => {
    const { email, password } = c.req.valid('json')
    const db = c.var.db
    // Unknown emails take attempts and are locked out exactly like known ones.
    const key = await lockoutKey(email, clientIp(c))
    await takeLoginAttempt(db, key)
    const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1)
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
    if (!user || !ok) {
      throw new ApiError(401, 'invalid_credentials', 'Email or password is wrong')
    }
    await clearLoginAttempts(db, key)
    if (user.banned) throw new ApiError(403, 'banned', 'Your account is suspended')
    const { token } = await createSession(db, user.id)
    setSessionCookie(c, token)
    return c.json({ user: await loadMe(db, user.id) })
  })
  .post('/logout', async (c) => {
    const token = readSessionToken(c)
    if (token) await revokeSession(c.env, c.var.db, token)
    clearSessionCookie(c)
    return c.json({ ok: true })
  })
  // The app's first question on every load. Signed out is an answer, not an error: a 401 here
  // would be logged by the browser as a failed resource on every anonymous page view.
  .get('/session', async (c) => {
    const user = c.var.user
    return c.json({ user: user ? await loadMe(c.var.db, user.id) : null })
  })
  .get('/me', requireUser, async (c) => {
    return c.json({ user: await loadMe(c.var.db, userOf(c).id) })
  })
