// Starts the local platform: migrations, demo users, wrangler dev, the
// transcoder and (optionally) the admin dashboard. Used by `npm start` and by
// the end-to-end tests, so the tests run the platform exactly as a newcomer does.
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { log, readDevVars, ROOT, run, startService, waitFor } from './lib.mjs'
import { seedUsers } from './seed.mjs'

// Local secrets for wrangler dev: .dev.vars, made from .env.example with
// fresh random values the first time (never the example's values). `say` reports it: the
// benchmarks pass stderr, since their stdout is JSON.
export function ensureDevVars(say = log) {
  const file = join(ROOT, '.dev.vars')
  if (existsSync(file)) return
  copyFileSync(join(ROOT, '.env.example'), file)
  const text = readFileSync(file, 'utf8')
    .replace(/^SIGNING_SECRET=.*$/m, `SIGNING_SECRET=${randomBytes(32).toString('hex')}`)
    .replace(/^TRANSCODER_TOKEN=.*$/m, `TRANSCODER_TOKEN=${randomBytes(16).toString('hex')}`)
  writeFileSync(file, text)
  say('wrote .dev.vars with fresh local secrets')
}

export async function startPlatform({
  workerPort = 8787,
  transcoderPort = 8788,
  adminPort = 5174,
  persistTo,
  admin = true,
  quiet = false,
  vars = {},
} = {}) {
  ensureDevVars()
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
      // E2E_VERBOSE=1 adds a line per request and queue batch (kept for recentServiceOutput).
      '--log-level',
      process.env.E2E_VERBOSE === '1' ? 'info' : 'warn',
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
  // The transcoder accepts jobs only with the token the Worker sends.
  const token = readDevVars().TRANSCODER_TOKEN ?? ''
  return startService('transcoder', 'npm', ['start', '-w', 'transcoder'], {
    env: { PORT: String(port), TRANSCODER_TOKEN: token },
    quiet,
    // Three info lines per job would bury everything else on `npm start` while the demo
    // clips are seeded; warnings and errors still show, every line is kept for
    // recentServiceOutput, and E2E_VERBOSE=1 shows them all.
    show: (line) => process.env.E2E_VERBOSE === '1' || !line.includes('"level":"info"'),
  })
}
