import { describe, expect, it } from 'vitest'
import { and, eq } from 'drizzle-orm'
import { call, db, makeUser, makeVideo } from '../../../test/helpers'
import { follows, users } from '../../db/schema'

describe('profiles and follows: happy path', () => {
  it('shows a profile with counts, interests and the follow state', async () => {
    const creator = await makeUser()
    const fan = await makeUser()
    await makeVideo(creator.id)
    await makeVideo(creator.id, { status: 'in_review' })
    await call('PUT', '/api/me/interests', { user: creator, body: { interests: ['gaming'] } })
    expect(
      (await call('POST', `/api/users/${creator.username}/follow`, { user: fan })).status,
    ).toBe(200)
    const res = await call('GET', `/api/users/${creator.username}`, { user: fan })
    expect(res.json.profile).toMatchObject({
      username: creator.username,
      counts: { followers: 1, following: 0, videos: 1 },
      isFollowing: true,
      isMe: false,
    })
    expect(res.json.profile.interests.map((i: { id: string }) => i.id)).toEqual(['gaming'])
    await call('DELETE', `/api/users/${creator.username}/follow`, { user: fan })
    const after = await call('GET', `/api/users/${creator.username}`, { user: fan })
    expect(after.json.profile.counts.followers).toBe(0)
  })

  it('tells the viewer whether they blocked the creator, so the profile can offer Unblock', async () => {
    const creator = await makeUser()
    const viewer = await makeUser()
    const profile = () => call('GET', `/api/users/${creator.username}`, { user: viewer })
    expect((await profile()).json.profile.blockedByMe).toBe(false)
    await call('POST', `/api/users/${creator.username}/block`, { user: viewer })
    expect((await profile()).json.profile.blockedByMe).toBe(true)
    const anonymous = await call('GET', `/api/users/${creator.username}`)
    expect(anonymous.json.profile.blockedByMe).toBe(false)
    await call('DELETE', `/api/users/${creator.username}/block`, { user: viewer })
    expect((await profile()).json.profile.blockedByMe).toBe(false)
  })

  it('edits one’s own profile', async () => {
    const u = await makeUser()
    const res = await call('PATCH', '/api/me', {
      user: u,
      body: { bio: 'I bake', website: 'https://bread.example', displayName: 'Baker' },
    })
    expect(res.status).toBe(200)
    expect(res.json.user).toMatchObject({
      bio: 'I bake',
      website: 'https://bread.example',
      displayName: 'Baker',
    })
  })

  it('the owner sees every upload with its status; others only published ones', async () => {
    const creator = await makeUser()
    await makeVideo(creator.id)
    await makeVideo(creator.id, { status: 'rejected' })
    await makeVideo(creator.id, { status: 'published', visibility: 'private' })
    const own = await call('GET', `/api/users/${creator.username}/videos`, { user: creator })
    expect(own.json.videos).toHaveLength(3)
    const mine = await call('GET', '/api/me/videos', { user: creator })
    expect(mine.json.videos.map((v: { status: string }) => v.status).sort()).toEqual([
      'published',
      'published',
      'rejected',
    ])
    const theirs = await call('GET', `/api/users/${creator.username}/videos`)
    expect(theirs.json.videos).toHaveLength(1)
  })
})

describe('profiles and follows: errors and security', () => {
  it('cannot follow yourself; following twice is one follow', async () => {
    const u = await makeUser()
    const v = await makeUser()
    expect((await call('POST', `/api/users/${u.username}/follow`, { user: u })).status).toBe(400)
    await call('POST', `/api/users/${v.username}/follow`, { user: u })
    await call('POST', `/api/users/${v.username}/follow`, { user: u })
    const rows = await db()
      .select()
      .from(follows)
      .where(and(eq(follows.followerId, u.id), eq(follows.followeeId, v.id)))
    expect(rows).toHaveLength(1)
  })

  it('refuses javascript: links and unknown fields in a profile', async () => {
    const u = await makeUser()
    const js = await call('PATCH', '/api/me', { user: u, body: { website: 'javascript:alert(1)' } })
    expect(js.status).toBe(400)
    const role = await call('PATCH', '/api/me', { user: u, body: { role: 'admin' } })
    expect(role.status).toBe(400)
    const [row] = await db().select().from(users).where(eq(users.id, u.id))
    expect(row?.role).toBe('user')
    expect(row?.website).toBeNull()
  })

  it('a banned user’s profile is gone for others; unknown users are 404', async () => {
    const banned = await makeUser({ banned: true })
    expect((await call('GET', `/api/users/${banned.username}`)).status).toBe(404)
    expect((await call('GET', '/api/users/nobody-here')).status).toBe(404)
  })
})
