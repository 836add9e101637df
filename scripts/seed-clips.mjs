// Demo content for a fresh platform, all through the real API: the clips of demo-content.mjs
// go through upload, transcoding and moderation; then the demo users watch, like, comment
// (each comment is classified like any other) and follow; then the recommendations are
// rebuilt so the feed is personalised at once. Prints progress lines as it goes.
//
// Idempotent: a clip whose title its creator already has is not uploaded again, and once
// every clip is there and a recommendation rebuild has run, nothing is done at all. A run
// cut short carries on where it stopped (likes, follows and views count once; a comment
// already there is not posted again).
// Usage: node scripts/seed-clips.mjs [workerUrl]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AVATAR_COLORS, DEMO_CLIPS, DEMO_COMMENTS } from './demo-content.mjs'
import { renderAvatar, renderClip } from './demo-media.mjs'
import { log, WORKER_URL } from './lib.mjs'
import { DEMO_USERS } from './seed.mjs'

const base = process.argv[2] ?? WORKER_URL
const started = Date.now()
// Transcoding a few dozen clips on a busy machine takes minutes; past this, the seeder
// carries on with what is published.
const TRANSCODE_DEADLINE_MS = 30 * 60_000
const PENDING = new Set(['uploading', 'processing', 'moderating'])

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const elapsed = () => {
  const s = Math.round((Date.now() - started) / 1000)
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`
}

// Node's fetch can lose a race with a server closing an idle keep-alive
// connection ("fetch failed"); the requests retried here are idempotent.
async function fetchWithRetry(url, init, attempts = 3) {
  for (let i = 1; ; i++) {
    try {
      return await fetch(url, init)
    } catch (err) {
      if (i >= attempts) throw err
      await sleep(500 * i)
    }
  }
}

async function readJson(res) {
  const text = await res.text()
  try {
    return JSON.parse(text)
  } catch {
    return { text }
  }
}

// A signed-in demo user. Each one sends its own client address (Miniflare keeps the
// CF-Connecting-IP a local client sends), so the per-IP limits count per demo user as they
// would for real people rather than all of them together.
async function session(user, index) {
  const ip = `10.77.0.${index + 1}`
  const res = await fetchWithRetry(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base, 'CF-Connecting-IP': ip },
    body: JSON.stringify({ email: user.email, password: user.password }),
  })
  if (!res.ok) throw new Error(`login ${user.email}: ${res.status} ${await res.text()}`)
  const cookie = /cs_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? ''
  // Creating an upload or a comment is not safe to repeat. Making a clip leaves the
  // connection idle long enough for the server to close it; a safe request first takes
  // the race (with retries) so those go out on a live connection.
  return async (method, path, body, contentType) => {
    const once = method === 'POST' && (path === '/api/uploads' || path.endsWith('/comments'))
    if (once) await fetchWithRetry(`${base}/api/health/live`).then((r) => r.arrayBuffer())
    const binary = body instanceof Uint8Array
    const res = await (once ? fetch : fetchWithRetry)(`${base}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        Origin: base,
        'CF-Connecting-IP': ip,
        ...(body ? { 'Content-Type': contentType ?? 'application/json' } : {}),
      },
      body: body ? (binary ? body : JSON.stringify(body)) : undefined,
    })
    return { status: res.status, json: await readJson(res) }
  }
}

// Every demo clip's video as its creator sees it (any status), by title.
async function creatorVideos(api) {
  const res = await api('GET', '/api/me/videos?limit=50')
  if (res.status !== 200) throw new Error(`my videos: ${res.status} ${JSON.stringify(res.json)}`)
  return new Map((res.json.videos ?? []).map((v) => [v.title, v]))
}

async function demoVideos(apis) {
  const byCreator = new Map()
  await Promise.all(
    [...new Set(DEMO_CLIPS.map((c) => c.who))].map(async (who) =>
      byCreator.set(who, await creatorVideos(apis[who])),
    ),
  )
  return DEMO_CLIPS.map((clip) => ({ clip, video: byCreator.get(clip.who)?.get(clip.title) }))
}

async function upload(api, clip, file) {
  const bytes = readFileSync(file)
  const created = await api('POST', '/api/uploads', {
    title: clip.title,
    description: clip.description,
    categories: clip.categories,
    tags: clip.tags,
    fileName: `${clip.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.mp4`,
    sizeBytes: bytes.byteLength,
    contentType: 'video/mp4',
  })
  if (created.status !== 201)
    throw new Error(`upload of "${clip.title}" refused: ${JSON.stringify(created.json)}`)
  const plan = created.json.upload
  for (const part of plan.parts) {
    const start = (part.partNumber - 1) * plan.partSize
    const res = await fetchWithRetry(`${base}${part.url}`, {
      method: 'PUT',
      body: bytes.subarray(start, start + plan.partSize),
    })
    if (!res.ok) throw new Error(`part upload of "${clip.title}": ${res.status}`)
  }
  const done = await api('POST', `/api/uploads/${plan.videoId}/complete`)
  if (done.status >= 300)
    throw new Error(`completing "${clip.title}": ${done.status} ${JSON.stringify(done.json)}`)
}

// Progress: a line when the count of published clips has moved, at most every 15 s, so a
// newcomer sees the seeding advance without a line per clip.
function progressReporter(total) {
  let shown = -1
  let at = 0
  return (published, uploaded, final = false) => {
    if (published === shown || (!final && (published === 0 || Date.now() - at < 15_000))) return
    shown = published
    at = Date.now()
    const more = uploaded < total ? ` (${uploaded} uploaded)` : ''
    log(`seeding demo clips: ${published}/${total} published${more}`)
  }
}

// Small deterministic random numbers, so every fresh start seeds the same interactions.
function random(seed) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function interact(apis, published, parentOf, preExisting) {
  const rand = random(42)
  const counts = { views: 0, likes: 0, comments: 0, held: 0, replies: 0, follows: 0 }
  const viewers = DEMO_USERS.filter((u) => u.role === 'user')
  const liked = new Map()
  for (const viewer of viewers) {
    const api = apis[viewer.username]
    for (const { clip, video } of published) {
      if (clip.who === viewer.username) continue
      const commenting = (DEMO_COMMENTS[clip.title]?.comments ?? []).some(
        ([who]) => who === viewer.username,
      )
      const interested = clip.categories.some((c) => viewer.interests.includes(parentOf[c]))
      // Tastes kept apart, so that eight viewers make a co-engagement graph with clusters
      // rather than everyone next to everything: interested viewers watch most clips of
      // their categories, mostly to the end; others watch few, and mostly leave early.
      if (!commenting && rand() > (interested ? 0.9 : 0.25)) continue
      const r = rand()
      const fraction = commenting
        ? 1
        : interested
          ? 0.6 + 0.4 * r
          : r < 0.6
            ? 0.03 + 0.15 * r
            : 0.2 + 0.3 * r
      const watch = await api('POST', `/api/videos/${video.id}/watch`, {
        fraction: Math.round(fraction * 100) / 100,
        seconds: Math.round(fraction * clip.seconds * 10) / 10,
      })
      if (watch.status !== 200)
        throw new Error(`watch: ${watch.status} ${JSON.stringify(watch.json)}`)
      if (watch.json.viewCounted) counts.views++
      const likes = commenting
        ? rand() < 0.8
        : interested
          ? fraction > 0.7 && rand() < 0.7
          : fraction > 0.45 && rand() < 0.1
      if (likes) {
        const like = await api('POST', `/api/videos/${video.id}/like`)
        if (like.status !== 200)
          throw new Error(`like: ${like.status} ${JSON.stringify(like.json)}`)
        counts.likes++
        const key = `${viewer.username}>${clip.who}`
        liked.set(key, (liked.get(key) ?? 0) + 1)
      }
    }
  }
  // Comments, each from a viewer of the clip; the creator answers the first one.
  for (const { clip, video } of published) {
    const thread = DEMO_COMMENTS[clip.title]
    if (!thread) continue
    let first = null
    for (const [who, body] of thread.comments) {
      const api = apis[who]
      let mine = null
      if (preExisting.has(video.id)) {
        const list = await api('GET', `/api/videos/${video.id}/comments?limit=50`)
        mine = (list.json.comments ?? []).find((c) => c.author?.username === who && c.body === body)
      }
      if (!mine) {
        const res = await api('POST', `/api/videos/${video.id}/comments`, { body })
        if (res.status !== 201)
          throw new Error(`comment: ${res.status} ${JSON.stringify(res.json)}`)
        counts.comments++
        if (res.json.moderation?.status !== 'published') counts.held++
        mine = { ...res.json.comment, status: res.json.moderation?.status }
      }
      if (!first) first = mine
    }
    if (thread.reply && first && first.status !== 'held' && first.status !== 'rejected') {
      const api = apis[clip.who]
      const existing = preExisting.has(video.id)
        ? await api('GET', `/api/videos/${video.id}/comments?limit=50`)
        : null
      const answered = (existing?.json.comments ?? []).some((c) =>
        (c.replies ?? []).some((r) => r.author?.username === clip.who && r.body === thread.reply),
      )
      if (!answered) {
        const res = await api('POST', `/api/videos/${video.id}/comments`, {
          body: thread.reply,
          parentId: first.id,
        })
        if (res.status === 201) counts.replies++
        if (res.status === 201 && res.json.moderation?.status !== 'published') counts.held++
      }
    }
  }
  // Viewers follow the creators whose clips they liked.
  for (const key of liked.keys()) {
    const [follower, creator] = key.split('>')
    const res = await apis[follower]('POST', `/api/users/${creator}/follow`)
    if (res.status !== 200) throw new Error(`follow: ${res.status} ${JSON.stringify(res.json)}`)
    counts.follows++
  }
  return counts
}

// The nightly jobs, run now: category preferences (the 04:00 cron, through wrangler dev's
// --test-scheduled route) and the recommendation rebuild (the admin route; it runs on the
// queue like the 03:00 cron does). Waits until the rebuild has finished.
async function rebuildRecommendations(admin) {
  const requested = Date.now()
  const prefs = await fetchWithRetry(`${base}/__scheduled?cron=0+4+*+*+*`)
  await prefs.arrayBuffer()
  const res = await admin('POST', '/api/admin/recs/rebuild')
  if (res.status !== 202) throw new Error(`rebuild: ${res.status} ${JSON.stringify(res.json)}`)
  const deadline = Date.now() + 5 * 60_000
  while (Date.now() < deadline) {
    await sleep(1000)
    const status = await admin('GET', '/api/admin/recs/status')
    const last = status.json.lastRebuild
    if (last?.finishedAt && last.startedAt >= requested - 1000) return last
  }
  throw new Error('the recommendation rebuild did not finish within 5 minutes')
}

async function main() {
  const demoUsers = DEMO_USERS.filter((u) => u.role === 'user' || u.role === 'admin')
  const apis = {}
  await Promise.all(
    demoUsers.map(async (u, i) => {
      apis[u.username] = await session(u, i)
    }),
  )
  const admin = apis.admin
  if (!admin) throw new Error('the demo admin is missing from seed.mjs')
  let videos = await demoVideos(apis)
  const missing = videos.filter((v) => !v.video)
  const status = await admin('GET', '/api/admin/recs/status')
  if (missing.length === 0 && status.json.lastRebuild) {
    log(`demo content already seeded (${videos.length} clips)`)
    return
  }
  log(
    `seeding demo content in the background: ${missing.length} clips through upload, transcoding and moderation, then views, likes, comments and a recommendation rebuild (a few minutes; the platform is usable meanwhile)`,
  )
  const preExisting = new Set(videos.flatMap((v) => (v.video ? [v.video.id] : [])))
  const categories = await fetchWithRetry(`${base}/api/categories`).then(readJson)
  const parentOf = {}
  for (const p of categories.categories ?? []) for (const c of p.children) parentOf[c.id] = p.id

  const dir = mkdtempSync(join(tmpdir(), 'clipstream-demo-'))
  const report = progressReporter(DEMO_CLIPS.length)
  let uploaded = DEMO_CLIPS.length - missing.length
  let uploading = true
  let failure = null
  try {
    // Profile pictures for creators without one.
    for (const u of DEMO_USERS.filter((x) => AVATAR_COLORS[x.username])) {
      const api = apis[u.username]
      const me = await api('GET', '/api/me')
      if (me.json.user?.avatarUrl) continue
      const png = readFileSync(await renderAvatar(dir, u.username, AVATAR_COLORS[u.username]))
      await api('PUT', '/api/me/avatar', new Uint8Array(png), 'image/png')
    }
    // Clips are made and uploaded one after another while the transcoder works through
    // the earlier ones; a poller reports progress meanwhile.
    const uploads = (async () => {
      for (const [i, { clip }] of missing.entries()) {
        const file = await renderClip(dir, `clip-${i}`, clip)
        await upload(apis[clip.who], clip, file)
        uploaded++
      }
    })()
      .catch((err) => {
        failure = err
      })
      .finally(() => {
        uploading = false
      })
    const deadline = Date.now() + TRANSCODE_DEADLINE_MS
    for (;;) {
      await sleep(2000)
      videos = await demoVideos(apis)
      const published = videos.filter((v) => v.video?.status === 'published').length
      const pending = videos.some((v) => v.video && PENDING.has(v.video.status))
      report(published, uploaded)
      if (!uploading && !pending) break
      if (Date.now() > deadline) {
        log('some demo clips are still being transcoded; going on with the published ones')
        break
      }
    }
    await uploads
    if (failure) throw failure
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const published = videos.filter((v) => v.video?.status === 'published')
  report(published.length, uploaded, true)
  const other = videos.filter((v) => v.video && v.video.status !== 'published')
  if (other.length) {
    const byStatus = {}
    for (const v of other) byStatus[v.video.status] = (byStatus[v.video.status] ?? 0) + 1
    const words = { in_review: 'held for review', rejected: 'rejected', failed: 'failed' }
    log(
      `  not published: ${Object.entries(byStatus)
        .map(([s, n]) => `${n} ${words[s] ?? s}`)
        .join(', ')} (moderators see them in the admin dashboard)`,
    )
  }
  const counts = await interact(apis, published, parentOf, preExisting)
  log(
    `demo interactions: ${counts.views} views, ${counts.likes} likes, ${counts.comments} comments and ${counts.replies} replies (${counts.held} held for review), ${counts.follows} follows`,
  )
  const rebuild = await rebuildRecommendations(admin)
  log(
    `recommendations rebuilt (${rebuild.items} clips, ${rebuild.users} users); demo content ready after ${elapsed()}`,
  )
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
