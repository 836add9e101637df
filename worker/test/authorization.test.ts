import { describe, expect, it } from 'vitest'
import { app } from '../src/app'
import { db, call, makeUser, makeVideo, type TestUser } from './helpers'
import { cases, WHO, type Fixture, type Who } from './authorization-cases'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { comments, videos } from '../src/db/schema'

// Walks every API route as each kind of caller and checks the answer. A new
// route must be added to authorization-cases.ts, or the completeness check fails.

async function fixture(owner: TestUser): Promise<Fixture> {
  const video = await makeVideo(owner.id)
  const hiddenVideo = await makeVideo(owner.id, { status: 'in_review' })
  const comment = crypto.randomUUID()
  await db()
    .insert(comments)
    .values({ id: comment, videoId: video, authorId: owner.id, body: 'mine', status: 'published' })
  for (const id of [video, hiddenVideo]) {
    await db().update(videos).set({ media: '{}' }).where(eq(videos.id, id))
    await env.MEDIA.put(`videos/${id}/poster.jpg`, 'jpeg')
  }
  const visitor = await makeUser()
  const visitorComment = crypto.randomUUID()
  await db().insert(comments).values({
    id: visitorComment,
    videoId: video,
    authorId: visitor.id,
    body: 'nice one',
    status: 'published',
  })
  const upload = await makeVideo(owner.id, { status: 'uploading' })
  await db()
    .update(videos)
    .set({ sizeBytes: 100, contentType: 'video/mp4' })
    .where(eq(videos.id, upload))
  return { owner, video, hiddenVideo, comment, visitorComment, upload }
}

describe('authorization matrix', () => {
  it('covers every API route', () => {
    const routes = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    )
    expect(routes.size).toBeGreaterThan(20)
    const covered = new Set(cases.map((c) => `${c.method} ${c.route}`))
    expect([...routes].filter((r) => !covered.has(r))).toEqual([])
  })

  it('answers each caller as expected on every route', async () => {
    const owner = await makeUser()
    const callers: Record<Who, TestUser | null> = {
      anonymous: null,
      other: await makeUser(),
      owner,
      moderator: await makeUser({ role: 'moderator' }),
      admin: await makeUser({ role: 'admin' }),
    }
    const shared = await fixture(owner)
    const failures: string[] = []
    for (const c of cases) {
      for (const who of WHO) {
        const f = c.fresh ? await fixture(owner) : shared
        let user = callers[who]
        if (c.route === '/api/auth/logout' && user) user = await makeUser({ role: user.role })
        const body =
          c.route === '/api/reports'
            ? { subjectType: 'video', subjectId: f.video, reason: 'spam' }
            : (c.bodyOf?.(f) ?? c.body)
        const res = await call(c.method, c.path(f), { user, body })
        if (res.status !== c.expect[who]) {
          failures.push(
            `${c.method} ${c.route} as ${who}: ${res.status}, expected ${c.expect[who]}`,
          )
        }
      }
    }
    expect(failures).toEqual([])
    // Every route times five callers through the pool's Worker entry, each call slower than
    // the last (see helpers.ts): 28.8 s and 53.7 s here, depending on other work's load.
  }, 180_000)
})
