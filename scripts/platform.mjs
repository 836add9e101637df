// Starts the local platform: migrations, demo users, wrangler dev, the
// transcoder and (optionally) the admin dashboard. Used by `npm start` and by
// the end-to-end tests, so the tests run the platform exactly as a newcomer does.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, run, startService, waitFor } from './lib.mjs'
import { seedUsers } from './seed.mjs'

export async function startPlatform({
  workerPort = 8787,
  transcoderPort = 8788,
  adminPort = 5174,
  persistTo,
  admin = true,
  quiet = false,
  vars = {},
} = {}) {
  const persist = persistTo ? ['--persist-to', persistTo] : []
  const stdio = ['ignore', 'ignore', 'inherit']
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], { stdio })
  seedUsers({ persist })

  const workerUrl = `http://127.0.0.1:${workerPort}`
  const transcoderUrl = `http://127.0.0.1:${transcoderPort}`
  const allVars = {
    TRANSCODER_URL: transcoderUrl,
    PUBLIC_URL: workerUrl,
    APP_ORIGIN: workerUrl,
    ADMIN_ORIGIN: `http://127.0.0.1:${adminPort}`,
    ...vars,
  }
  const varArgs = Object.entries(allVars).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  startService(
    'worker',
    'npx',
    [
      'wrangler',
      'dev',
      '--port',
      String(workerPort),
      '--log-level',
      'warn',
      '--test-scheduled',
      ...persist,
      ...varArgs,
    ],
    { quiet },
  )
  const hasTranscoder = existsSync(join(ROOT, 'transcoder', 'src', 'server.ts'))
  const transcoder = hasTranscoder ? startTranscoder({ port: transcoderPort, quiet }) : null
  const hasAdmin = admin && existsSync(join(ROOT, 'admin', 'index.html'))
  if (hasAdmin) {
    startService(
      'admin',
      'npm',
      [
        'run',
        'dev',
        '-w',
        'admin',
        '--',
        '--port',
        String(adminPort),
        '--strictPort',
        '--host',
        '127.0.0.1',
      ],
      { quiet: true, env: { CLIPSTREAM_API: workerUrl } },
    )
  }
  await waitFor(`${workerUrl}/api/health/live`, { what: 'the Worker' })
  if (hasTranscoder) await waitFor(`${transcoderUrl}/health`, { what: 'the transcoder' })
  if (hasAdmin) await waitFor(`http://127.0.0.1:${adminPort}/`, { what: 'the admin dashboard' })
  return {
    workerUrl,
    transcoderUrl: hasTranscoder ? transcoderUrl : null,
    transcoderPid: transcoder?.pid ?? null,
    adminUrl: hasAdmin ? `http://127.0.0.1:${adminPort}` : null,
  }
}

export function startTranscoder({ port = 8788, quiet = false } = {}) {
  return startService('transcoder', 'npm', ['start', '-w', 'transcoder'], {
    env: { PORT: String(port) },
    quiet,
  })
}
