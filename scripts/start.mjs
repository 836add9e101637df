// `npm start`: sets up and runs the whole platform locally.
// Installs what is missing, applies D1 migrations, seeds demo data, starts the
// Worker (wrangler dev), the transcoder and the admin dashboard, and prints
// the URLs. Safe to run again: nothing is duplicated.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  ADMIN_PORT,
  ROOT,
  TRANSCODER_PORT,
  WORKER_URL,
  hasCommand,
  log,
  run,
  startService,
  stopServices,
  waitFor,
} from './lib.mjs'
import { DEMO_USERS, seedUsers } from './seed.mjs'

function ensureInstalled() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json')
  const lock = join(ROOT, 'package-lock.json')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return
  log('installing dependencies (npm install)…')
  run('npm', ['install', '--no-audit', '--no-fund'])
}

function ensureDevVars() {
  const file = join(ROOT, '.dev.vars')
  if (existsSync(file)) return
  copyFileSync(join(ROOT, '.env.example'), file)
  // A fresh random signing key per machine; never the example's value.
  const text = readFileSync(file, 'utf8')
    .replace(/^SIGNING_SECRET=.*$/m, `SIGNING_SECRET=${randomBytes(32).toString('hex')}`)
    .replace(/^TRANSCODER_TOKEN=.*$/m, `TRANSCODER_TOKEN=${randomBytes(16).toString('hex')}`)
  writeFileSync(file, text)
  log('wrote .dev.vars with fresh local secrets')
}

function buildWeb() {
  if (!existsSync(join(ROOT, 'web', 'index.html'))) return
  log('building the viewer app (web/dist)…')
  run('npm', ['run', 'build', '-w', 'web'], { stdio: ['ignore', 'ignore', 'inherit'] })
}

function describeFfmpeg() {
  if (hasCommand('ffmpeg')) return 'system ffmpeg'
  return 'ffmpeg shipped in the npm package @ffmpeg-installer/linux-x64'
}

async function main() {
  ensureInstalled()
  ensureDevVars()
  buildWeb()
  log('applying D1 migrations locally…')
  run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  seedUsers()

  process.on('SIGINT', () => {
    stopServices()
    process.exit(0)
  })
  process.on('SIGTERM', () => {
    stopServices()
    process.exit(0)
  })

  startService('worker', 'npx', ['wrangler', 'dev', '--log-level', 'warn', '--test-scheduled'])
  const hasTranscoder = existsSync(join(ROOT, 'transcoder', 'src', 'server.ts'))
  if (hasTranscoder) {
    startService('transcoder', 'npm', ['start', '-w', 'transcoder'], {
      env: { PORT: String(TRANSCODER_PORT) },
    })
  }
  const hasAdmin = existsSync(join(ROOT, 'admin', 'index.html'))
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
        String(ADMIN_PORT),
        '--strictPort',
        '--host',
        '127.0.0.1',
      ],
      {
        env: {},
        quiet: true,
        ...{ stdio: ['ignore', 'pipe', 'pipe'] },
      },
    )
  }
  await waitFor(`${WORKER_URL}/api/health`, { what: 'the Worker' })
  if (hasTranscoder) {
    await waitFor(`http://127.0.0.1:${TRANSCODER_PORT}/health`, { what: 'the transcoder' })
  }
  const seedClips = join(ROOT, 'scripts', 'seed-clips.mjs')
  if (existsSync(seedClips)) {
    const result = spawnSync('node', [seedClips], { cwd: ROOT, stdio: 'inherit' })
    if (result.status !== 0)
      log('demo clips could not be seeded (see above); the platform still runs')
  }

  const lines = [
    '',
    'Clipstream is running:',
    `  viewer app + API   ${WORKER_URL}`,
    `  API health         ${WORKER_URL}/api/health`,
    ...(hasAdmin ? [`  admin dashboard    http://127.0.0.1:${ADMIN_PORT}`] : []),
    ...(hasTranscoder
      ? [`  transcoder         http://127.0.0.1:${TRANSCODER_PORT}/health (${describeFfmpeg()})`]
      : []),
    `  run a cron by hand ${WORKER_URL}/__scheduled?cron=*/5+*+*+*+*`,
    '',
    'Demo accounts (email / password):',
    ...DEMO_USERS.map((u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(28)} ${u.password}`),
    '',
    'Press Ctrl+C to stop everything.',
  ]
  console.log(lines.join('\n'))
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  stopServices()
  process.exit(1)
})
