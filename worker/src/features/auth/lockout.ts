import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../db/client'
import { loginFailures } from '../../db/schema'
import { RateLimited } from '../../lib/errors'
import { sha256Hex } from '../../lib/ids'
import { LOGIN_LOCKOUT } from '../limits/rate-limits'

// Login lockout per (email, client IP). Every attempt first takes a slot in
// one atomic upsert, before the password is checked, so even many attempts
// at once get at most LOGIN_LOCKOUT.failures password checks per window. The
// window starts at the first failure and attempts while locked do not move
// it: the lock ends at a fixed time. Keyed per IP, so an attacker locks only
// their own address out of the victim's account, never the victim's.
export const lockoutKey = (email: string, ip: string) => sha256Hex(`${email}\n${ip}`)

export async function takeLoginAttempt(db: Db, key: string, now = Date.now()) {
  const windowMs = LOGIN_LOCKOUT.windowSeconds * 1000
  const expired = sql`${loginFailures.firstAt} <= ${now - windowMs}`
  // SET expressions all read the row as it was, so first_at is tested before it moves.
  const [row] = await db
    .insert(loginFailures)
    .values({ key, failures: 1, firstAt: now })
    .onConflictDoUpdate({
      target: loginFailures.key,
      set: {
        failures: sql`case when ${expired} then 1 else ${loginFailures.failures} + 1 end`,
        firstAt: sql`case when ${expired} then ${now} else ${loginFailures.firstAt} end`,
      },
    })
    .returning({ failures: loginFailures.failures, firstAt: loginFailures.firstAt })
  if (row && row.failures > LOGIN_LOCKOUT.failures) {
    const minutes = Math.ceil((row.firstAt + windowMs - now) / 60_000)
    throw new RateLimited(
      'login_locked',
      `Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      (row.firstAt + windowMs - now) / 1000,
    )
  }
}

export async function clearLoginAttempts(db: Db, key: string) {
  await db.delete(loginFailures).where(eq(loginFailures.key, key))
}
