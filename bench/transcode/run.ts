// Transcoder overhead: the service's full job on a 30 s 1080p clip against the bare ffmpeg
// command line with the same ladder arguments (the physical limit), plus frame-classifier speed.
// Run: nice -n 10 npx tsx bench/transcode/run.ts   (prints JSON; BENCH_ROUNDS=3 for more runs)
// CPU is user+sys of the ffmpeg/ffprobe children (from /proc/self/stat cutime+cstime) plus this
// process's own CPU (the in-process service: HTTP, uploads, classifier).
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { readConfig } from '../../transcoder/src/config'
import { createFrameClassifier } from '../../transcoder/src/frames/classifier'
import { silentLogger } from '../../transcoder/src/log'
import { commandLineArgs, resolveMediaTools } from '../../transcoder/src/media/ffmpeg'
import type { MediaTools } from '../../transcoder/src/media/ffmpeg'
import { inspectSource } from '../../transcoder/src/media/inspect'
import { ladderCommand, planLadder } from '../../transcoder/src/media/ladder'
import { startTranscoder } from '../../transcoder/src/server'

const CLIP_SECONDS = 30
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const TICKS_PER_SECOND = 100

// CPU seconds of this process's finished (waited-for) children: ffmpeg and ffprobe.
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 16 and 17 of /proc/<pid>/stat (cutime, cstime), counted after the command name.
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND
}

function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

interface Measured {
  wallSeconds: number
  ffmpegCpuSeconds: number
  nodeCpuSeconds: number
  cpuSeconds: number
}

async function measure(work: () => Promise<void>): Promise<Measured> {
  const children = childCpuSeconds()
  const own = ownCpuSeconds()
  const started = performance.now()
  await work()
  const wallSeconds = (performance.now() - started) / 1000
  const ffmpegCpuSeconds = childCpuSeconds() - children
  const nodeCpuSeconds = ownCpuSeconds() - own
  return {
    wallSeconds: round(wallSeconds),
    ffmpegCpuSeconds: round(ffmpegCpuSeconds),
    nodeCpuSeconds: round(nodeCpuSeconds),
    cpuSeconds: round(ffmpegCpuSeconds + nodeCpuSeconds),
  }
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits))

async function makeClip(tools: MediaTools, dir: string): Promise<string> {
  const file = path.join(dir, 'clip-1080p.mp4')
  await promisify(execFile)(tools.ffmpeg, [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i'],
    `testsrc2=size=1920x1080:rate=30:duration=${CLIP_SECONDS}`,
    ...['-f', 'lavfi', '-i', `sine=frequency=330:duration=${CLIP_SECONDS}`],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', file],
  ])
  return file
}

function runPlain(tools: MediaTools, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tools.ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)))
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(stderr))))
  })
}

// Serves the clip, swallows uploads and resolves when the final callback arrives.
async function startReceiver(clip: string) {
  const source = await readFile(clip)
  const finals = new Map<string, (body: string) => void>()
  let uploadedBytes = 0
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => {
      if (request.method === 'PUT') uploadedBytes += chunk.length
      else chunks.push(chunk)
    })
    request.on('end', () => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-length': source.length }).end(source)
        return
      }
      response.writeHead(204).end()
      if (request.method !== 'POST') return
      const text = Buffer.concat(chunks).toString('utf8')
      const body = JSON.parse(text) as { jobId: string; type: string }
      if (body.type !== 'progress') finals.get(body.jobId)?.(text)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    uploadedBytes: () => uploadedBytes,
    final: (jobId: string) => new Promise<string>((resolve) => finals.set(jobId, resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function summarise(runs: Measured[]): Measured & { wallMinSeconds: number } {
  return {
    // On a shared machine the fastest run is the one least disturbed by other work.
    wallMinSeconds: round(Math.min(...runs.map((run) => run.wallSeconds))),
    wallSeconds: round(median(runs.map((run) => run.wallSeconds))),
    ffmpegCpuSeconds: round(median(runs.map((run) => run.ffmpegCpuSeconds))),
    nodeCpuSeconds: round(median(runs.map((run) => run.nodeCpuSeconds))),
    cpuSeconds: round(median(runs.map((run) => run.cpuSeconds))),
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'clipstream-bench-'))
  const tools = resolveMediaTools({ ffmpegPath: null, ffprobePath: null })
  const receiverDone: Array<() => Promise<void>> = []
  try {
    const clip = await makeClip(tools, dir)
    const probe = await inspectSource(tools, clip, 600)
    const rungs = planLadder(probe.width, probe.height)
    const plainDir = path.join(dir, 'plain')
    const plainArgs = commandLineArgs(ladderCommand(clip, probe, rungs, plainDir))

    const receiver = await startReceiver(clip)
    receiverDone.push(receiver.close)
    const config = readConfig({ PORT: '0', TMPDIR: dir, TRANSCODER_TOKEN: 'bench' })
    const transcoder = await startTranscoder(config, silentLogger)
    receiverDone.push(transcoder.close)
    const modelLoad = await measure(async () => {
      await transcoder.classifier.ready()
    })

    const plainRuns: Measured[] = []
    const serviceRuns: Measured[] = []
    let uploaded = 0
    let frames = 0
    for (let i = 0; i < ROUNDS; i++) {
      await rm(plainDir, { recursive: true, force: true })
      for (const rung of rungs)
        await mkdir(path.join(plainDir, 'hls', rung.name), { recursive: true })
      plainRuns.push(await measure(() => runPlain(tools, plainArgs)))

      const jobId = `bench-${i}`
      const before = receiver.uploadedBytes()
      serviceRuns.push(
        await measure(async () => {
          const final = receiver.final(jobId)
          const response = await fetch(`${transcoder.url}/jobs`, {
            method: 'POST',
            headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
            body: JSON.stringify({
              jobId,
              videoId: jobId,
              sourceUrl: `${receiver.url}/source`,
              outputUrl: `${receiver.url}/out/${jobId}/{path}`,
              callbackUrl: `${receiver.url}/callback`,
              callbackToken: 'bench',
            }),
          })
          if (response.status !== 202) throw new Error(`POST /jobs: ${response.status}`)
          const body = JSON.parse(await final) as { type: string; result?: { frames: unknown[] } }
          if (body.type !== 'completed') throw new Error(JSON.stringify(body))
          frames = body.result?.frames.length ?? 0
        }),
      )
      uploaded = receiver.uploadedBytes() - before
    }

    // Frame classifier alone, warm, on frames cut from the same clip.
    const frameDir = path.join(dir, 'frames')
    await mkdir(frameDir)
    await promisify(execFile)(tools.ffmpeg, [
      ...['-v', 'error', '-i', clip, '-vf', 'fps=1/5:round=up,scale=-2:320'],
      path.join(frameDir, '%04d.jpg'),
    ])
    const classifier = createFrameClassifier({ enabled: true, logger: silentLogger })
    await classifier.ready()
    const frameFiles = (await readdir(frameDir)).map((name) => path.join(frameDir, name))
    const started = performance.now()
    const passes = 3
    for (let pass = 0; pass < passes; pass++) {
      for (const file of frameFiles) await classifier.scoreFrame(file)
    }
    const msPerFrame = (performance.now() - started) / (frameFiles.length * passes)

    const plain = summarise(plainRuns)
    const service = summarise(serviceRuns)
    const percent = (a: number, b: number): number => round(((a - b) / b) * 100, 1)
    process.stdout.write(
      `${JSON.stringify(
        {
          clip: { seconds: CLIP_SECONDS, width: probe.width, height: probe.height, fps: 30 },
          ffmpeg: tools.ffmpeg,
          rungs: rungs.map((rung) => `${rung.name} ${rung.width}x${rung.height}`),
          rounds: ROUNDS,
          plainFfmpeg: { ...plain, runs: plainRuns, args: plainArgs.join(' ') },
          service: {
            ...service,
            runs: serviceRuns,
            moderationFrames: frames,
            uploadedBytes: uploaded,
          },
          overhead: {
            wallPercent: percent(service.wallSeconds, plain.wallSeconds),
            wallMinPercent: percent(service.wallMinSeconds, plain.wallMinSeconds),
            cpuPercent: percent(service.cpuSeconds, plain.cpuSeconds),
            ffmpegCpuPercent: percent(service.ffmpegCpuSeconds, plain.ffmpegCpuSeconds),
          },
          frameClassifier: {
            model: 'nsfwjs 4.3.0 MobileNetV2, tfjs wasm',
            msPerFrame: round(msPerFrame, 1),
            framesScored: frameFiles.length * passes,
            modelLoad,
          },
        },
        null,
        2,
      )}\n`,
    )
  } finally {
    for (const close of receiverDone.reverse()) await close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
