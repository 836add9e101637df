// Moves bytes between the job's temp directory and storage through the signed URLs in the job.
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { JobFailure } from './failure'
import { HttpStatusError, discardBody, fetchWithRetry } from './http'

const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.jpg': 'image/jpeg',
}

export function contentTypeFor(relativePath: string): string {
  return CONTENT_TYPES[path.extname(relativePath)] ?? 'application/octet-stream'
}

// The Worker's template holds a literal {path}; URL builders sometimes escape the braces.
export function outputUrlFor(template: string, relativePath: string): string {
  const encoded = encodeURIComponent(relativePath)
  return template.replaceAll('{path}', encoded).replaceAll('%7Bpath%7D', encoded)
}

export async function downloadSource(
  url: string,
  destination: string,
  maxBytes: number,
  signal: AbortSignal,
  // Fraction received, when the source states its length.
  onProgress?: (fraction: number) => void,
): Promise<number> {
  let response: Response
  try {
    response = await fetchWithRetry(url, () => ({}), { attempts: 3, baseDelayMs: 500 }, signal)
  } catch (error) {
    signal.throwIfAborted()
    const detail = error instanceof Error ? error.message : String(error)
    throw new JobFailure('source_unavailable', undefined, { detail })
  }
  if (!response.ok || response.body === null) {
    await discardBody(response)
    // 404/410: the upload is gone and asking again will not bring it back.
    const gone = response.status === 404 || response.status === 410
    throw new JobFailure('source_unavailable', undefined, {
      retryable: !gone,
      detail: `source answered HTTP ${response.status}`,
    })
  }
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel()
    throw tooLarge(maxBytes)
  }
  let received = 0
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length
      if (received > maxBytes) {
        callback(tooLarge(maxBytes))
        return
      }
      if (declared > 0) onProgress?.(received / declared)
      callback(null, chunk)
    },
  })
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      cap,
      createWriteStream(destination),
      { signal },
    )
  } catch (error) {
    if (error instanceof JobFailure) throw error
    signal.throwIfAborted()
    throw new JobFailure('source_unavailable', undefined, {
      detail: `download interrupted: ${error instanceof Error ? error.message : String(error)}`,
    })
  }
  return received
}

function tooLarge(maxBytes: number): JobFailure {
  const gib = Math.round((maxBytes / 1024 ** 3) * 10) / 10
  return new JobFailure('too_long', `The file is larger than the ${gib} GB limit.`)
}

export async function uploadOutput(
  template: string,
  workDir: string,
  relativePath: string,
  signal: AbortSignal,
): Promise<number> {
  const body = await readFile(path.join(workDir, relativePath))
  const response = await fetchWithRetry(
    outputUrlFor(template, relativePath),
    () => ({
      method: 'PUT',
      body,
      headers: { 'content-type': contentTypeFor(relativePath) },
    }),
    { attempts: 4, baseDelayMs: 300 },
    signal,
  )
  await discardBody(response)
  if (!response.ok) {
    throw new HttpStatusError(response.status, `upload of ${relativePath}: HTTP ${response.status}`)
  }
  return body.length
}

// Uploads in small parallel batches; `last` goes up only after everything else has landed.
export async function uploadOutputs(
  template: string,
  workDir: string,
  files: string[],
  last: string,
  signal: AbortSignal,
  onFileDone: (done: number, total: number) => void,
): Promise<number> {
  const queue = files.filter((file) => file !== last)
  const total = queue.length + 1
  let bytes = 0
  let done = 0
  let failed = false
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file !== undefined && !failed; file = queue.shift()) {
      const uploaded = await uploadOutput(template, workDir, file, signal)
      bytes += uploaded
      onFileDone(++done, total)
    }
  }
  // One failed upload stops the others from starting new files; the job is retried as a whole.
  await Promise.all(
    Array.from({ length: 4 }, () =>
      worker().catch((error: unknown) => {
        failed = true
        throw error
      }),
    ),
  )
  const lastBytes = await uploadOutput(template, workDir, last, signal)
  bytes += lastBytes
  onFileDone(++done, total)
  return bytes
}
