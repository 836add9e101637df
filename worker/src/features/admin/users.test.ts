import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { moderationEvents, sessions, users } from '../../db/schema'
import { call, db, makeUser, makeVideo, type JsonAny } from '../../../test/helpers'

// Account management (admins) and who may reach the admin API at all.
describe('admin API: users and creators', () => {
  it('bans, unbans and changes roles with reasons in the audit log', async () => {
    const admin = await makeUser({ role: 'admin' })
    const target = await makeUser({ name: `target_${Date.now().toString(36)}` })

    const found = await call('GET', `/api/admin/users?q=${target.username.slice(0, 12)}`, {
      user: admin,
    })
    expect(found.json.users.map((u: JsonAny) => u.id)).toContain(target.id)

    const ban = await call('POST', `/api/admin/users/${target.id}/ban`, {
      user: admin,
      body: { reason: 'spam account' },
    })
    expect(ban.status).toBe(200)
    expect(ban.json.user).toMatchObject({ banned: true, bannedReason: 'spam account' })
    // A ban ends the user's sessions at once: the cookie no longer signs in.
    const post = await call('PATCH', '/api/me', { user: target, body: { bio: 'x' } })
    expect(post.status).toBe(401)
    expect((await call('GET', '/api/auth/me', { user: target })).status).toBe(401)
    expect(await db().select().from(sessions).where(eq(sessions.userId, target.id))).toEqual([])

    const unban = await call('POST', `/api/admin/users/${target.id}/unban`, {
      user: admin,
      body: { reason: 'appeal accepted' },
    })
    expect(unban.json.user).toMatchObject({ banned: false, bannedReason: null })

    const role = await call('POST', `/api/admin/users/${target.id}/role`, {
      user: admin,
      body: { role: 'moderator', reason: 'joins the team' },
    })
    expect(role.json.user.role).toBe('moderator')

    const audit = await db()
      .select()
      .from(moderationEvents)
      .where(
        and(eq(moderationEvents.subjectType, 'user'), eq(moderationEvents.subjectId, target.id)),
      )
      .orderBy(moderationEvents.createdAt)
    expect(audit.map((e) => [e.decision, e.actorId, e.source])).toEqual([
      ['banned', admin.id, 'human'],
      ['unbanned', admin.id, 'human'],
      ['role:moderator', admin.id, 'human'],
    ])
    expect(audit[2]?.explanation).toBe('user -> moderator: joins the team')

    const activity = await call('GET', `/api/admin/users/${target.id}`, { user: admin })
    expect(activity.status).toBe(200)
    expect(activity.json.user.role).toBe('moderator')
    expect(activity.json.events.map((e: JsonAny) => e.decision)).toContain('banned')
  })

  it('gives a creator history with counts per status and prior rejections', async () => {
    const mod = await makeUser({ role: 'moderator' })
    const creator = await makeUser()
    await makeVideo(creator.id)
    await makeVideo(creator.id, { status: 'rejected', title: 'bad one' })
    await makeVideo(creator.id, { status: 'in_review' })
    const res = await call('GET', `/api/admin/creators/${creator.id}/history`, { user: mod })
    expect(res.status).toBe(200)
    expect(res.json.videos).toEqual({ published: 1, rejected: 1, in_review: 1 })
    expect(res.json.priorRejections.videos.map((v: JsonAny) => v.title)).toEqual(['bad one'])
  })
})

describe('admin API: security', () => {
  it('refuses users, lets moderators in, keeps user management for admins', async () => {
    const user = await makeUser()
    const mod = await makeUser({ role: 'moderator' })
    const admin = await makeUser({ role: 'admin' })
    expect((await call('GET', '/api/admin/overview')).status).toBe(401)
    expect((await call('GET', '/api/admin/overview', { user })).status).toBe(403)
    expect((await call('GET', '/api/admin/overview', { user: mod })).status).toBe(200)
    expect((await call('GET', '/api/admin/overview', { user: admin })).status).toBe(200)
    expect((await call('GET', '/api/admin/history', { user })).status).toBe(403)
    expect((await call('GET', '/api/admin/users', { user: mod })).status).toBe(403)
    expect((await call('GET', '/api/admin/users', { user: admin })).status).toBe(200)
    const promote = await call('POST', `/api/admin/users/${user.id}/role`, {
      user: mod,
      body: { role: 'admin', reason: 'please' },
    })
    expect(promote.status).toBe(403)
  })

  it('a banned moderator is refused', async () => {
    const mod = await makeUser({ role: 'moderator', banned: true })
    expect((await call('GET', '/api/admin/overview', { user: mod })).status).toBe(403)
  })

  it('an admin cannot ban or demote themselves', async () => {
    const admin = await makeUser({ role: 'admin' })
    const ban = await call('POST', `/api/admin/users/${admin.id}/ban`, {
      user: admin,
      body: { reason: 'oops' },
    })
    expect(ban.status).toBe(400)
    const demote = await call('POST', `/api/admin/users/${admin.id}/role`, {
      user: admin,
      body: { role: 'user', reason: 'oops' },
    })
    expect(demote.status).toBe(400)
    const [row] = await db().select().from(users).where(eq(users.id, admin.id))
    expect(row).toMatchObject({ role: 'admin', banned: false })
  })

  it('a cross-site request with the session cookie is refused', async () => {
    const admin = await makeUser({ role: 'admin' })
    const target = await makeUser()
    const res = await call('POST', `/api/admin/users/${target.id}/ban`, {
      user: admin,
      body: { reason: 'spam account' },
      origin: 'https://evil.example',
    })
    expect(res.status).toBe(403)
  })
})
