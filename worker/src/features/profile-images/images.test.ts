import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import {
  ORIGIN,
  call,
  db,
  fetchWorker,
  makeUser,
  makeVideo,
  type TestUser,
} from '../../../test/helpers'
import { comments, users } from '../../db/schema'
import { sniffImage } from './images'

// The smallest real PNG (1x1), and a few things that are not images.
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  ),
  (ch) => ch.charCodeAt(0),
)
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46])
const SVG = new TextEncoder().encode(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
)

function put(user: TestUser, kind: string, body: Uint8Array, type = 'image/png') {
  return fetchWorker(`/api/me/${kind}`, {
    method: 'PUT',
    headers: {
      Cookie: user.cookie,
      Origin: ORIGIN,
      'Content-Type': type,
      // Its own address per call, as `call` does: the per-IP limit is not what is tested here.
      'CF-Connecting-IP': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    },
    body,
  })
}

async function storedUrls(userId: string) {
  const [row] = await db()
    .select({ avatar: users.avatarUrl, banner: users.bannerUrl })
    .from(users)
    .where(eq(users.id, userId))
  return row
}

describe('profile pictures in our own storage', () => {
  it('uploads, serves to anyone with safe headers, and replaces without leaving files', async () => {
    const me = await makeUser()
    const res = await put(me, 'avatar', PNG, 'application/octet-stream')
    expect(res.status).toBe(200)
    const { user } = (await res.json()) as { user: { avatarUrl: string } }
    expect(user.avatarUrl).toMatch(
      new RegExp(`^/media/profiles/${me.id}/avatar-[0-9a-f-]{36}\\.png$`),
    )

    const image = await fetchWorker(user.avatarUrl)
    expect(image.status).toBe(200)
    // The type comes from the bytes, not from what the request said.
    expect(image.headers.get('Content-Type')).toBe('image/png')
    expect(image.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(image.headers.get('Cache-Control')).toContain('immutable')
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG)

    const again = await put(me, 'avatar', JPEG, 'image/jpeg')
    const next = ((await again.json()) as { user: { avatarUrl: string } }).user.avatarUrl
    expect(next).toMatch(/\.jpg$/)
    expect((await fetchWorker(user.avatarUrl)).status).toBe(404)
    expect(await env.MEDIA.head(`profiles/${user.avatarUrl.split('/profiles/')[1]}`)).toBeNull()
    expect((await fetchWorker(next)).status).toBe(200)

    const removed = await call('DELETE', '/api/me/avatar', { user: me })
    expect(removed.status).toBe(200)
    expect(removed.json.user.avatarUrl).toBeNull()
    expect((await fetchWorker(next)).status).toBe(404)
  })

  it('refuses what is not a JPEG, PNG or WebP, and keeps the picture it had', async () => {
    const me = await makeUser()
    await put(me, 'banner', PNG)
    const before = await storedUrls(me.id)
    for (const [body, status] of [
      [SVG, 415],
      [new TextEncoder().encode('<html>hi</html>'), 415],
      [new Uint8Array(), 400],
      [new Uint8Array(5 * 1024 * 1024), 413],
    ] as const) {
      const res = await put(me, 'banner', body, 'image/png')
      expect(res.status).toBe(status)
      const json = (await res.json()) as { error: { message: string } }
      expect(json.error.message.length).toBeGreaterThan(5)
    }
    expect(await storedUrls(me.id)).toEqual(before)
    const listed = await env.MEDIA.list({ prefix: `profiles/${me.id}/` })
    expect(listed.objects).toHaveLength(1)
    expect(sniffImage(new TextEncoder().encode('RIFF0000WEBPVP8 '))?.contentType).toBe('image/webp')
  })

  it('no longer takes links to other hosts, and never shows one stored before', async () => {
    const me = await makeUser()
    const link = await call('PATCH', '/api/me', {
      user: me,
      body: { avatarUrl: 'https://tracker.example/pixel.png' },
    })
    expect(link.status).toBe(400)
    expect(JSON.stringify(link.json)).toContain('Upload a picture')

    // A profile saved when links were allowed.
    const old = await makeUser()
    await db()
      .update(users)
      .set({
        avatarUrl: 'https://tracker.example/a.png',
        bannerUrl: 'https://tracker.example/b.png',
      })
      .where(eq(users.id, old.id))
    const video = await makeVideo(old.id)
    await db().insert(comments).values({
      id: crypto.randomUUID(),
      videoId: video,
      authorId: old.id,
      body: 'hi',
      status: 'published',
    })
    const profile = await call('GET', `/api/users/${old.username}`)
    const card = await call('GET', `/api/videos/${video}`)
    const thread = await call('GET', `/api/videos/${video}/comments`)
    const everything = JSON.stringify([profile.json, card.json, thread.json])
    expect(profile.status).toBe(200)
    expect(card.status).toBe(200)
    expect(thread.status).toBe(200)
    expect(everything).toContain(old.username)
    expect(everything).not.toContain('tracker.example')
  })

  it('answers hostile bodies with a 4xx in the error shape and stores nothing', async () => {
    const bodies: Uint8Array[] = [
      new TextEncoder().encode(JSON.stringify({ avatarUrl: 'https://x.example/a.png' })),
      new TextEncoder().encode('GIF89a'),
      new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '),
      PNG.subarray(0, 4),
      JPEG.subarray(0, 2),
    ]
    // Under the per-account limit (10 a minute): a few accounts share the cases.
    const senders = await Promise.all(Array.from({ length: 5 }, () => makeUser()))
    for (let i = 0; i < 40; i++) {
      const random = crypto.getRandomValues(new Uint8Array(1 + ((i * 97) % 3000)))
      // Never starts like an image by chance.
      random[0] = 0x00
      bodies.push(random)
    }
    for (const [i, body] of bodies.entries()) {
      const kind = i % 2 ? 'avatar' : 'banner'
      const sender = senders[i % senders.length]
      if (!sender) throw new Error('no sender')
      const res = await put(
        sender,
        kind,
        body,
        ['image/png', 'application/json', 'text/plain'][i % 3],
      )
      expect(res.status, `body ${i}`).toBeGreaterThanOrEqual(400)
      expect(res.status, `body ${i}`).toBeLessThan(500)
      const json = (await res.json()) as { error: { code: string } }
      expect(typeof json.error.code).toBe('string')
    }
    for (const sender of senders) {
      expect((await env.MEDIA.list({ prefix: `profiles/${sender.id}/` })).objects).toEqual([])
      expect(await storedUrls(sender.id)).toEqual({ avatar: null, banner: null })
    }
  })

  it('does not serve a banned user’s pictures or guessed names', async () => {
    const me = await makeUser()
    const url = ((await (await put(me, 'avatar', PNG)).json()) as { user: { avatarUrl: string } })
      .user.avatarUrl
    await db().update(users).set({ banned: true }).where(eq(users.id, me.id))
    expect((await fetchWorker(url)).status).toBe(404)
    expect((await fetchWorker(`/media/profiles/${me.id}/../secrets`)).status).toBe(404)
    expect((await fetchWorker(`/media/profiles/${me.id}/avatar.svg`)).status).toBe(404)
  })
})
