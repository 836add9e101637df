// Stands in for the Worker and R2: serves sources, accepts output PUTs, records callbacks.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { CallbackBody } from '../src/contract'

export interface StoredObject {
  body: Buffer
  contentType: string
  order: number
}

export interface ReceivedCallback {
  body: CallbackBody
  authorization: string
  // Date.now() on arrival, for checking how often progress comes.
  receivedAt: number
}

export interface Receiver {
  url: string
  objects: Map<string, Map<string, StoredObject>>
  putCount: Map<string, number>
  callbacks: Map<string, ReceivedCallback[]>
  // Answers the next `count` source GETs (`source:<jobId>`) or final callbacks
  // (`final:<jobId>`) with 503.
  failNext(key: string, count: number): void
  jobBody(jobId: string, fixture: string, extra?: Record<string, unknown>): Record<string, unknown>
  waitForFinal(jobId: string, count?: number, timeoutMs?: number): Promise<CallbackBody>
  waitForStage(jobId: string, stage: string, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startReceiver(mediaDir: string): Promise<Receiver> {
  const objects = new Map<string, Map<string, StoredObject>>()
  const callbacks = new Map<string, ReceivedCallback[]>()
  const putCount = new Map<string, number>()
  const listeners = new Set<() => void>()
  const faults = new Map<string, number>()
  const fault = (key: string): boolean => {
    const left = faults.get(key) ?? 0
    if (left > 0) faults.set(key, left - 1)
    return left > 0
  }
  let order = 0

  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://receiver')
      const [, kind, key, rest] = url.pathname.split('/')
      const body = Buffer.concat(chunks)
      if (request.method === 'GET' && kind === 'source' && key !== undefined) {
        if (fault(`source:${url.searchParams.get('job') ?? ''}`)) {
          response.writeHead(503).end()
          return
        }
        readFile(path.join(mediaDir, path.basename(key))).then(
          (file) => response.writeHead(200, { 'content-length': file.length }).end(file),
          () => response.writeHead(404).end(),
        )
        return
      }
      if (request.method === 'PUT' && kind === 'out' && key !== undefined && rest !== undefined) {
        const files = objects.get(key) ?? new Map<string, StoredObject>()
        objects.set(key, files)
        putCount.set(key, (putCount.get(key) ?? 0) + 1)
        files.set(decodeURIComponent(rest), {
          body,
          contentType: request.headers['content-type'] ?? '',
          order: order++,
        })
        response.writeHead(200).end()
        return
      }
      if (request.method === 'POST' && kind === 'callback' && key !== undefined) {
        const parsed = JSON.parse(body.toString('utf8')) as CallbackBody
        if (parsed.type !== 'progress' && fault(`final:${key}`)) {
          response.writeHead(503).end()
          return
        }
        const list = callbacks.get(key) ?? []
        callbacks.set(key, list)
        list.push({
          body: parsed,
          authorization: request.headers.authorization ?? '',
          receivedAt: Date.now(),
        })
        response.writeHead(204).end()
        for (const listener of listeners) listener()
        return
      }
      response.writeHead(404).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`

  const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const value = check()
        if (value === undefined) return false
        listeners.delete(listener)
        clearTimeout(timer)
        resolve(value)
        return true
      }
      const listener = (): void => {
        attempt()
      }
      const timer = setTimeout(() => {
        listeners.delete(listener)
        reject(new Error(`timed out waiting for ${what}`))
      }, timeoutMs)
      listeners.add(listener)
      attempt()
    })

  return {
    url,
    objects,
    putCount,
    callbacks,
    failNext: (key, count) => faults.set(key, count),
    jobBody: (jobId, fixture, extra = {}) => ({
      jobId,
      videoId: `video-${jobId}`,
      sourceUrl: `${url}/source/${fixture}?sig=abc&job=${jobId}`,
      outputUrl: `${url}/out/${jobId}/{path}?sig=def`,
      callbackUrl: `${url}/callback/${jobId}`,
      callbackToken: `token-${jobId}`,
      ...extra,
    }),
    waitForFinal: (jobId, count = 1, timeoutMs = 90_000) =>
      waitFor(
        () => {
          const finals = (callbacks.get(jobId) ?? []).filter((c) => c.body.type !== 'progress')
          return finals[count - 1]?.body
        },
        timeoutMs,
        `final callback ${count} of ${jobId}`,
      ),
    waitForStage: (jobId, stage, timeoutMs = 60_000) =>
      waitFor(
        () =>
          (callbacks.get(jobId) ?? []).some(
            (c) => c.body.type === 'progress' && c.body.stage === stage,
          )
            ? true
            : undefined,
        timeoutMs,
        `stage ${stage} of ${jobId}`,
      ).then(() => undefined),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
