import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { makeTestClip } from '../../scripts/lib.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    workerUrl: string
    transcoderUrl: string
    adminUrl: string
    statePath: string
    transcoderPid: number
  }
}

export const base = () => inject('workerUrl')

// A signed-in API client that behaves like the web app (cookie + Origin).
export class Session {
  cookie = ''
  async request(method: string, path: string, body?: unknown) {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
        Origin: base(),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
    const cookie = res.headers.get('set-cookie')
    const match = cookie ? /cs_session=([^;]+)/.exec(cookie) : null
    if (match?.[1]) this.cookie = `cs_session=${match[1]}`
    const text = await res.text()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const json: any = text ? JSON.parse(text) : null
    return { status: res.status, json }
  }
  static async signUp(interests = ['food']) {
    const s = new Session()
    const name = `e2e_${Math.random().toString(36).slice(2, 10)}`
    const res = await s.request('POST', '/api/auth/register', {
      username: name,
      email: `${name}@example.test`,
      password: 'e2e-password-1',
      interests,
    })
    if (res.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(res.json)}`)
    return s
  }
  static async logIn(email: string, password: string) {
    const s = new Session()
    const res = await s.request('POST', '/api/auth/login', { email, password })
    if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.json)}`)
    return s
  }
}

// Tiny real clips made with ffmpeg: test pattern + tone.
export function makeClip(
  name: string,
  opts: { seconds?: number; size?: string; audio?: boolean } = {},
): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'clipstream-clip-'))
  const { seconds = 2, size = '320x180', audio = true } = opts
  const out = makeTestClip(join(dir, `${name}.mp4`), {
    size,
    seconds,
    tone: audio ? 440 : null,
    preset: 'ultrafast',
  })
  return readFileSync(out)
}

// Node's fetch can lose a race with a server closing an idle keep-alive
// connection ("fetch failed"); a part upload is idempotent, so try again.
async function putPart(
  url: string,
  body: Uint8Array<ArrayBuffer>,
  attempts = 3,
): Promise<Response> {
  for (let i = 1; ; i++) {
    try {
      return await fetch(url, { method: 'PUT', body })
    } catch (err) {
      if (i >= attempts) throw err
      await new Promise((r) => setTimeout(r, 500 * i))
    }
  }
}

export async function upload(session: Session, file: Buffer, meta: Record<string, unknown> = {}) {
  const created = await session.request('POST', '/api/uploads', {
    title: 'E2E clip',
    description: 'made by the end-to-end test',
    categories: ['recipes'],
    tags: ['e2e'],
    fileName: 'clip.mp4',
    sizeBytes: file.byteLength,
    contentType: 'video/mp4',
    ...meta,
  })
  if (created.status !== 201) throw new Error(`upload refused: ${JSON.stringify(created.json)}`)
  const plan = created.json.upload
  for (const part of plan.parts) {
    const start = (part.partNumber - 1) * plan.partSize
    const chunk = file.subarray(start, Math.min(file.byteLength, start + plan.partSize))
    const res = await putPart(`${base()}${part.url}`, new Uint8Array(chunk))
    if (res.status !== 200)
      throw new Error(`part ${part.partNumber}: ${res.status} ${await res.text()}`)
  }
  const done = await session.request('POST', `/api/uploads/${plan.videoId}/complete`)
  return { videoId: plan.videoId as string, complete: done }
}

export async function waitForStatus(
  session: Session,
  videoId: string,
  done: (status: string) => boolean,
  timeoutMs = 150_000,
) {
  const started = Date.now()
  const seen: string[] = []
  while (Date.now() - started < timeoutMs) {
    const res = await session.request('GET', `/api/videos/${videoId}`)
    const status: string = res.json?.video?.status ?? `http ${res.status}`
    if (seen[seen.length - 1] !== status) seen.push(status)
    if (done(status)) return { video: res.json.video, seen }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`video ${videoId} did not finish; statuses seen: ${seen.join(' -> ')}`)
}
