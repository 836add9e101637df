// Starts a transcoder and a receiver together, and turns received uploads back into files.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readConfig } from '../src/config'
import { silentLogger } from '../src/log'
import { startTranscoder } from '../src/server'
import type { Transcoder } from '../src/server'
import { startReceiver } from './receiver'
import type { Receiver } from './receiver'

export interface Harness {
  transcoder: Transcoder
  receiver: Receiver
  workRoot: string
  post(body: unknown, token?: string | null): Promise<Response>
  // Writes a job's uploaded objects to disk so ffprobe can read them.
  materialise(jobId: string): Promise<string>
  close(): Promise<void>
}

export const TOKEN = 'test-transcoder-token'

export async function startHarness(
  mediaDir: string,
  env: Record<string, string> = {},
): Promise<Harness> {
  const workRoot = await mkdtemp(path.join(tmpdir(), 'clipstream-work-'))
  const receiver = await startReceiver(mediaDir)
  const config = readConfig({
    PORT: '0',
    TRANSCODER_TOKEN: TOKEN,
    TMPDIR: workRoot,
    FRAME_CLASSIFIER: 'off',
    ...env,
  })
  const transcoder = await startTranscoder(config, silentLogger)
  const outputs: string[] = []
  return {
    transcoder,
    receiver,
    workRoot,
    post: (body, token = TOKEN) =>
      fetch(`${transcoder.url}/jobs`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify(body),
      }),
    materialise: async (jobId) => {
      const dir = await mkdtemp(path.join(tmpdir(), `clipstream-out-${jobId}-`))
      outputs.push(dir)
      for (const [relative, object] of receiver.objects.get(jobId) ?? []) {
        const file = path.join(dir, relative)
        await mkdir(path.dirname(file), { recursive: true })
        await writeFile(file, object.body)
      }
      return dir
    },
    close: async () => {
      await transcoder.close()
      await receiver.close()
      await Promise.all(
        [workRoot, ...outputs].map((dir) => rm(dir, { recursive: true, force: true })),
      )
    },
  }
}
