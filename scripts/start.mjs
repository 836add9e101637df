// `npm start`: sets up and runs the whole platform locally.
// Installs what is missing, applies D1 migrations, seeds demo data, starts the
// Worker (wrangler dev), the transcoder and the admin dashboard, and prints
// the URLs. Safe to run again: nothing is duplicated.
import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ADMIN_PORT, ROOT, TRANSCODER_PORT, hasCommand, log, run, stopServices } from './lib.mjs'
import { startPlatform } from './platform.mjs'
import { DEMO_USERS } from './seed.mjs'

function ensureInstalled() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json')
  const lock = join(ROOT, 'package-lock.json')
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return
  log('installing dependencies (npm install)…')
  run('npm', ['install', '--no-audit', '--no-fund'])
}

function buildWeb() {
  if (!existsSync(join(ROOT, 'web', 'index.html'))) return
  log('building the viewer app (web/dist)…')
  run('npm', ['run', 'build', '-w', 'web'], { stdio: ['ignore', 'ignore', 'inherit'] })
}

async function main() {
  ensureInstalled()
  buildWeb()
  const stop = () => {
    seeder?.kill()
    stopServices()
    process.exit(0)
  }
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, stop)
  // `npm start` runs this script through `sh`. A SIGTERM to npm (from `kill`, `timeout` or a
  // process manager) ends npm and sh but not this script, which would keep every service and
  // its port running with nobody to stop them: stop when the parent is gone.
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) stop()
  }, 1000).unref()
  log('applying migrations, seeding demo users, starting services…')
  const urls = await startPlatform({ transcoderPort: TRANSCODER_PORT, adminPort: ADMIN_PORT })
  // Creators share one password: one line for the first, their names for the rest.
  const users = DEMO_USERS.filter((u) => u.role === 'user')
  const [firstUser] = users
  const others = users.slice(1)
  const ffmpeg = hasCommand('ffmpeg')
    ? 'system ffmpeg'
    : 'ffmpeg from the npm package @ffmpeg-installer/linux-x64'
  console.log(
    [
      '',
      'Clipstream is running:',
      `  viewer app + API   ${urls.workerUrl}`,
      `  API health         ${urls.workerUrl}/api/health`,
      ...(urls.adminUrl ? [`  admin dashboard    ${urls.adminUrl}`] : []),
      ...(urls.transcoderUrl
        ? [`  transcoder         ${urls.transcoderUrl}/health (${ffmpeg})`]
        : []),
      `  run a cron by hand ${urls.workerUrl}/__scheduled?cron=*/5+*+*+*+*`,
      '',
      'Demo accounts (email / password):',
      ...DEMO_USERS.filter((u) => u.role !== 'user' || u === firstUser).map(
        (u) => `  ${u.role.padEnd(9)} ${u.email.padEnd(28)} ${u.password}`,
      ),
      ...(others.length
        ? [`            and ${others.map((u) => u.username).join(', ')} (@clipstream.local, same)`]
        : []),
      '',
      'Press Ctrl+C to stop everything.',
    ].join('\n'),
  )
  // The demo clips go through the real transcoder, which takes minutes on a first start, so
  // they are seeded after the URLs are printed, with progress lines; the platform is usable
  // meanwhile. On a later start the seeder finds them and says so.
  const seedClips = join(ROOT, 'scripts', 'seed-clips.mjs')
  if (existsSync(seedClips)) {
    seeder = spawn('node', [seedClips, urls.workerUrl], { cwd: ROOT, stdio: 'inherit' })
    seeder.on('exit', (code) => {
      if (code) log('demo content could not be fully seeded (see above); the platform still runs')
    })
  }
}

let seeder = null

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  stopServices()
  process.exit(1)
})
