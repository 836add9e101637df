// Small helpers shared by the dev scripts (start, seed, bench). Plain Node,
// no dependencies, so they run before `npm install` has.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const WORKER_URL = process.env.CLIPSTREAM_URL ?? 'http://127.0.0.1:8787'
export const TRANSCODER_PORT = Number(process.env.TRANSCODER_PORT ?? 8788)
export const ADMIN_PORT = Number(process.env.ADMIN_PORT ?? 5174)

// Keep wrangler offline: no telemetry, no request.cf lookups.
export const quietEnv = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
}

export function log(message) {
  console.log(`\x1b[36m[clipstream]\x1b[0m ${message}`)
}

export function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: quietEnv, ...opts })
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status}`)
  }
  return result
}

// Starts a long-running process in its own process group, so stopping it
// also stops what it spawned (workerd outlives wrangler otherwise).
export function startService(name, cmd, args, opts = {}) {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...quietEnv, ...opts.env },
    detached: true,
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
  })
  const prefix = `\x1b[35m[${name}]\x1b[0m `
  const forward = (stream, out) =>
    stream?.on('data', (chunk) => {
      for (const line of String(chunk).split('\n')) {
        if (!line.trim()) continue
        // Quiet services still keep their last lines, so a failing run can
        // show what the Worker or the transcoder said just before.
        recentOutput.push(prefix + line)
        if (recentOutput.length > RECENT_LINES) recentOutput.shift()
        if (!opts.quiet && (opts.show?.(line) ?? true)) out.write(prefix + line + '\n')
      }
    })
  forward(child.stdout, process.stdout)
  forward(child.stderr, process.stderr)
  child.on('exit', (code, signal) => {
    if (!stopping) log(`${name} exited (${signal ?? code})`)
  })
  services.push(child)
  return child
}

const services = []
let stopping = false
const RECENT_LINES = 80
const recentOutput = []

/** The last lines the services printed (also the quiet ones), oldest first. */
export function recentServiceOutput() {
  return recentOutput.join('\n')
}

export function stopServices() {
  stopping = true
  for (const child of services) {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
}

export async function waitFor(url, { timeoutMs = 60_000, what = url } = {}) {
  const started = Date.now()
  let lastError = ''
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(url)
      if (res.status < 500) return res
      lastError = `HTTP ${res.status}`
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000}s (${lastError})`)
}

export function readDevVars() {
  const file = join(ROOT, '.dev.vars')
  const vars = {}
  if (!existsSync(file)) return vars
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line)
    if (m) vars[m[1]] = m[2]
  }
  return vars
}

export function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

// The system's ffmpeg, or the binary shipped in an npm package when none is installed.
export function ffmpegPath() {
  return hasCommand('ffmpeg')
    ? 'ffmpeg'
    : join(ROOT, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg')
}

// A small but real H.264/AAC clip from one of ffmpeg's test sources, for the demo data,
// the end-to-end tests and the benchmarks. `tone: null` makes it silent. Returns `out`.
export function makeTestClip(
  out,
  {
    pattern = 'testsrc2',
    size = '320x180',
    rate = 25,
    seconds = 2,
    tone = 440,
    preset = 'veryfast',
  } = {},
) {
  execFileSync(ffmpegPath(), [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    // Not every test source takes a duration (mandelbrot does not): cut with -t.
    ...['-f', 'lavfi', '-t', String(seconds), '-i', `${pattern}=size=${size}:rate=${rate}`],
    ...(tone ? ['-f', 'lavfi', '-i', `sine=frequency=${tone}:duration=${seconds}`] : []),
    ...['-c:v', 'libx264', '-preset', preset, '-pix_fmt', 'yuv420p'],
    ...(tone ? ['-c:a', 'aac', '-shortest'] : []),
    out,
  ])
  return out
}

// Playwright's launch options for Debian's Chromium (apt package `chromium`), headless as
// root. Without the background-networking flags Chromium keeps dialling Google's hosts,
// which this kind of closed machine refuses.
export const chromiumLaunchOptions = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
}
