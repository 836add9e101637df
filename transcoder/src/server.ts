// The transcoder's HTTP front: health, job submission and job status (contract in README.md).
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto'
import { readdir, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { readConfig } from './config'
import type { ServiceConfig } from './config'
import { parseJobRequest } from './contract'
import { createFrameClassifier } from './frames/classifier'
import type { FrameClassifier } from './frames/classifier'
import { JobBoard } from './jobs/board'
import { abandonedWorkDirs } from './jobs/transcode'
import { errorMessage, jsonLogger } from './log'
import type { Logger } from './log'
import { readFfmpegVersion, resolveMediaTools } from './media/ffmpeg'

export interface Transcoder {
  url: string
  board: JobBoard
  classifier: FrameClassifier
  close(): Promise<void>
}

const MAX_BODY_BYTES = 64 * 1024

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  response.end(text)
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > MAX_BODY_BYTES) throw new RequestError(413, 'body_too_large', 'Body over 64 KiB')
    chunks.push(buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
  } catch {
    throw new RequestError(400, 'invalid_json', 'Body is not valid JSON')
  }
}

// Compares digests so neither the length nor the content of the token leaks through timing.
function authorised(request: IncomingMessage, token: string | null): boolean {
  if (token === null) return true
  const given = request.headers.authorization ?? ''
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(given), digest(`Bearer ${token}`))
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

// A process killed mid-job leaves its temp directory behind; nothing in it is ever reused.
// Its ffmpeg may outlive it for a moment and still be writing there (ENOTEMPTY while the
// directory is removed), so removal retries, and a directory that stays is only a warning:
// left-over files never stop the transcoder from starting.
async function removeAbandonedWork(workRoot: string, logger: Logger): Promise<void> {
  const names = await readdir(workRoot).catch(() => [])
  const stale = abandonedWorkDirs(names, processIsAlive)
  const results = await Promise.allSettled(
    stale.map((name) =>
      rm(path.join(workRoot, name), {
        recursive: true,
        force: true,
        maxRetries: 10,
        retryDelay: 100,
      }),
    ),
  )
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [errorMessage(r.reason)] : []))
  if (stale.length > failed.length) {
    logger.info('abandoned_work_removed', { directories: stale.length - failed.length })
  }
  if (failed.length > 0) logger.warn('abandoned_work_left', { errors: failed })
}

export async function startTranscoder(
  config: ServiceConfig,
  logger: Logger = jsonLogger,
): Promise<Transcoder> {
  const tools = resolveMediaTools(config)
  const ffmpegVersion = await readFfmpegVersion(tools)
  await removeAbandonedWork(config.workRoot, logger)
  const classifier = createFrameClassifier({ enabled: config.frameClassifierEnabled, logger })
  // Loaded now, in its own thread, rather than by the first job: the first job then neither
  // waits for the model nor has its progress held up while it loads.
  void classifier.ready()
  const board = new JobBoard({
    tools,
    classifier,
    logger,
    concurrency: config.concurrency,
    workRoot: config.workRoot,
    maxSourceBytes: config.maxSourceBytes,
    jobTimeoutMs: config.jobTimeoutMs,
  })

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const { pathname } = new URL(request.url ?? '/', 'http://transcoder')
    const method = request.method ?? 'GET'
    if (method === 'GET' && pathname === '/health') {
      sendJson(response, 200, {
        ok: true,
        ffmpeg: tools.ffmpeg,
        ffmpegVersion,
        frameClassifier: classifier.status(),
      })
      return
    }
    const jobMatch = /^\/jobs\/([^/]+)$/.exec(pathname)
    if (pathname !== '/jobs' && jobMatch === null) {
      throw new RequestError(404, 'not_found', 'No such route')
    }
    if (!authorised(request, config.token)) {
      throw new RequestError(401, 'unauthorized', 'Missing or wrong bearer token')
    }
    if (method === 'POST' && pathname === '/jobs') {
      const parsed = parseJobRequest(await readJson(request))
      if ('problems' in parsed) {
        throw new RequestError(400, 'invalid_job', parsed.problems.join('; '))
      }
      const view = board.submit(parsed)
      sendJson(response, 202, { jobId: view.jobId, state: view.state })
      return
    }
    if (method === 'GET' && jobMatch !== null) {
      const view = board.get(decodeURIComponent(jobMatch[1] ?? ''))
      if (view === null) throw new RequestError(404, 'job_not_found', 'No such job')
      sendJson(response, 200, view)
      return
    }
    throw new RequestError(405, 'method_not_allowed', 'Method not allowed')
  }

  const server: Server = createServer((request, response) => {
    const requestId = randomUUID()
    route(request, response).catch((error: unknown) => {
      const known = error instanceof RequestError
      if (!known) logger.error('request_failed', { requestId, error: errorMessage(error) })
      sendJson(response, known ? error.status : 500, {
        error: {
          code: known ? error.code : 'internal',
          message: known ? error.message : 'Internal error',
          requestId,
        },
      })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  logger.info('transcoder_listening', { host: address, port, ffmpeg: tools.ffmpeg, ffmpegVersion })

  return {
    url: `http://${host}:${port}`,
    board,
    classifier,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await board.close()
      await classifier.close()
      await closed
    },
  }
}

async function main(): Promise<void> {
  const transcoder = await startTranscoder(readConfig())
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    jsonLogger.info('transcoder_stopping', { signal })
    transcoder.close().then(
      () => process.exit(0),
      (error: unknown) => {
        jsonLogger.error('shutdown_failed', { error: errorMessage(error) })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

const entry = process.argv[1]
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main().catch((error: unknown) => {
    jsonLogger.error('transcoder_failed_to_start', { error: errorMessage(error) })
    process.exit(1)
  })
}
