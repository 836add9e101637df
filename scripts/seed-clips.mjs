// Demo clips for a fresh platform, sent through the real upload, transcode
// and moderation path (ffmpeg test patterns with tones: different lengths
// and orientations). Skipped when the demo creators already have videos.
// Usage: node scripts/seed-clips.mjs [workerUrl]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { log, makeTestClip, WORKER_URL } from './lib.mjs'

const base = process.argv[2] ?? WORKER_URL

const CLIPS = [
  {
    who: 'maya',
    title: 'Golden hour pancakes',
    categories: ['recipes'],
    tags: ['breakfast', 'pancakes'],
    size: '720x1280',
    seconds: 8,
    pattern: 'testsrc2',
    tone: 440,
  },
  {
    who: 'maya',
    title: 'Street food tour in 10 seconds',
    categories: ['street-food'],
    tags: ['travel', 'food'],
    size: '1280x720',
    seconds: 10,
    pattern: 'smptebars',
    tone: 523,
  },
  {
    who: 'sam',
    title: 'Any% speedrun route, explained',
    categories: ['speedruns'],
    tags: ['gaming', 'speedrun'],
    size: '720x1280',
    seconds: 12,
    pattern: 'testsrc',
    tone: 330,
  },
  {
    who: 'sam',
    title: 'Kickflip practice, day 30',
    categories: ['extreme-sports'],
    tags: ['skate'],
    size: '540x960',
    seconds: 6,
    pattern: 'rgbtestsrc',
    tone: 660,
  },
  {
    who: 'maya',
    title: 'Sunrise over the hills',
    categories: ['outdoors'],
    tags: ['nature', 'calm'],
    size: '1280x720',
    seconds: 15,
    pattern: 'mandelbrot',
    tone: 392,
  },
]

function makeClip(dir, clip, i) {
  const { pattern, size, seconds, tone } = clip
  return readFileSync(makeTestClip(join(dir, `clip-${i}.mp4`), { pattern, size, seconds, tone }))
}

// Node's fetch can lose a race with a server closing an idle keep-alive
// connection ("fetch failed"); part uploads are idempotent, so try again.
async function fetchWithRetry(url, init, attempts = 3) {
  for (let i = 1; ; i++) {
    try {
      return await fetch(url, init)
    } catch (err) {
      if (i >= attempts) throw err
      await new Promise((r) => setTimeout(r, 500 * i))
    }
  }
}

async function session(email, password) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ email, password }),
  })
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`)
  const cookie = /cs_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? ''
  // Creating an upload is the one call that is not safe to repeat. Making a clip leaves the
  // connection idle for seconds, long enough for the server to close it; a safe request
  // first takes the race (with retries) so the upload goes out on a live connection.
  return async (method, path, body) => {
    const once = method === 'POST' && path === '/api/uploads'
    if (once) await fetchWithRetry(`${base}/api/health/live`).then((r) => r.arrayBuffer())
    return (once ? fetch : fetchWithRetry)(`${base}${path}`, {
      method,
      headers: {
        Cookie: cookie,
        Origin: base,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    }).then(async (r) => ({ status: r.status, json: await r.json() }))
  }
}

async function main() {
  const users = {
    maya: await session('maya@clipstream.local', 'clipstream-demo'),
    sam: await session('sam@clipstream.local', 'clipstream-demo'),
  }
  const existing = await users.maya('GET', '/api/me/videos')
  if (existing.json.videos?.length) {
    log('demo clips already seeded')
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'clipstream-demo-'))
  const ids = []
  try {
    for (const [i, clip] of CLIPS.entries()) {
      const file = makeClip(dir, clip, i)
      const api = users[clip.who]
      const created = await api('POST', '/api/uploads', {
        title: clip.title,
        description: `Demo clip: ${clip.pattern} with a ${clip.tone} Hz tone.`,
        categories: clip.categories,
        tags: clip.tags,
        fileName: `clip-${i}.mp4`,
        sizeBytes: file.byteLength,
        contentType: 'video/mp4',
      })
      if (created.status !== 201) throw new Error(`upload refused: ${JSON.stringify(created.json)}`)
      const plan = created.json.upload
      for (const part of plan.parts) {
        const start = (part.partNumber - 1) * plan.partSize
        const res = await fetchWithRetry(`${base}${part.url}`, {
          method: 'PUT',
          body: file.subarray(start, start + plan.partSize),
        })
        if (!res.ok) throw new Error(`part upload: ${res.status}`)
      }
      await api('POST', `/api/uploads/${plan.videoId}/complete`)
      ids.push({ id: plan.videoId, api, title: clip.title })
    }
    log(`uploaded ${ids.length} demo clips; waiting for transcoding and moderation…`)
    const deadline = Date.now() + 180_000
    for (const v of ids) {
      let status = 'processing'
      while (Date.now() < deadline && ['uploading', 'processing', 'moderating'].includes(status)) {
        await new Promise((r) => setTimeout(r, 1000))
        status = (await v.api('GET', `/api/videos/${v.id}`)).json.video?.status ?? status
      }
      log(`  ${v.title}: ${status}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
