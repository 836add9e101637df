// One transcode job from signed source URL to uploaded outputs. Everything happens in a fresh
// temp directory that is removed in `finally`, so a killed or retried job never reuses half a run.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { JobRequest, JobResult } from '../contract'
import type { FrameClassifier } from '../frames/classifier'
import { CLASSIFIER_IDENTITY } from '../frames/classifier'
import { FfmpegError, runFfmpeg } from '../media/ffmpeg'
import type { MediaTools } from '../media/ffmpeg'
import { inspectSource } from '../media/inspect'
import type { SourceProbe } from '../media/inspect'
import { SPRITE_TILES_DIR, planOutputs, spriteCommand, transcodeCommand } from '../media/ladder'
import { MASTER_PLAYLIST, finishLadder } from '../media/renditions'
import type { ProgressReporter } from './callbacks'
import { JobFailure, asJobFailure } from './failure'
import { downloadSource, uploadOutputs } from './transfer'

export interface JobContext {
  tools: MediaTools
  classifier: FrameClassifier
  workRoot: string
  maxSourceBytes: number
  progress: ProgressReporter
  signal: AbortSignal
}

// Work directories carry the owning process id so a restart removes only what dead processes
// left behind, never the live work of another transcoder sharing the same TMPDIR.
const WORK_DIR_PREFIX = 'clipstream-job-'

export function abandonedWorkDirs(names: string[], isAlive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const match = /^clipstream-job-(\d+)-/.exec(name)
    return match !== null && !isAlive(Number(match[1]))
  })
}

function classifyEncodeError(error: unknown): JobFailure {
  if (!(error instanceof FfmpegError)) return asJobFailure(error)
  const text = error.stderr.slice(-4000)
  if (/partial file|corrupt input packet|end of file/i.test(text)) {
    return new JobFailure('truncated', undefined, { detail: text.slice(-500) })
  }
  if (/decoder .* not found|unsupported codec|no decoder/i.test(text)) {
    return new JobFailure('unsupported_codec', undefined, { detail: text.slice(-500) })
  }
  if (/invalid data|error while decoding|invalid nal|concealing|corrupt/i.test(text)) {
    return new JobFailure('corrupt', 'The video is damaged: some frames cannot be decoded.', {
      detail: text.slice(-500),
    })
  }
  return new JobFailure('internal', undefined, { detail: text.slice(-500) })
}

async function listFrames(workDir: string, intervalSeconds: number, duration: number) {
  const names = (await readdir(path.join(workDir, 'frames'))).filter((name) =>
    name.endsWith('.jpg'),
  )
  names.sort()
  return names
    .map((name, i) => ({ path: `frames/${name}`, timeSeconds: i * intervalSeconds }))
    .filter((frame, i) => i === 0 || frame.timeSeconds < duration)
}

async function encode(
  context: JobContext,
  workDir: string,
  source: string,
  probe: SourceProbe,
  videoSeconds: number,
): Promise<Omit<JobResult, 'probe' | 'bytes' | 'elapsedMs'> & { files: string[] }> {
  const { progress, tools } = context
  const plan = planOutputs(probe)
  await mkdir(path.join(workDir, 'frames'), { recursive: true })
  await mkdir(path.join(workDir, SPRITE_TILES_DIR), { recursive: true })
  for (const rung of plan.rungs)
    await mkdir(path.join(workDir, 'hls', rung.name), { recursive: true })

  progress.update('transcoding', 0)
  await runFfmpeg(tools, transcodeCommand(source, probe, plan, workDir), {
    durationSeconds: probe.durationSeconds,
    onProgress: (percent) => progress.update('transcoding', percent / 100),
    signal: context.signal,
  }).catch((error: unknown) => {
    context.signal.throwIfAborted()
    throw classifyEncodeError(error)
  })
  await runFfmpeg(tools, spriteCommand(workDir, plan.stills.sprite), {
    signal: context.signal,
  }).catch((error: unknown) => {
    context.signal.throwIfAborted()
    throw asJobFailure(error)
  })

  const ladder = await finishLadder(workDir, plan.rungs, probe)
  // ffmpeg can exit 0 on a file that just stops: compare what came out with what was promised.
  const shortest = Math.min(...ladder.renditions.map((rendition) => rendition.durationSeconds))
  // Measured against the picture track's own length where the file states one, so a file whose
  // sound simply runs longer than its picture is not mistaken for a cut-off upload.
  if (shortest < videoSeconds - Math.max(0.5, videoSeconds * 0.02)) {
    throw new JobFailure('truncated', undefined, {
      detail: `encoded ${shortest}s of ${videoSeconds}s`,
    })
  }

  progress.update('frames', 0)
  const { stills } = plan
  const listed = await listFrames(workDir, stills.frameIntervalSeconds, probe.durationSeconds)
  progress.update('frames', 1)

  const frames: JobResult['frames'] = []
  for (const [i, frame] of listed.entries()) {
    progress.update('classifying', i / listed.length)
    frames.push({
      ...frame,
      scores: await context.classifier.scoreFrame(path.join(workDir, frame.path)),
    })
  }
  const scored = frames.length > 0 && frames.every((frame) => frame.scores !== null)
  if (!scored) for (const frame of frames) frame.scores = null
  progress.update('classifying', 1)

  return {
    master: MASTER_PLAYLIST,
    renditions: ladder.renditions,
    poster: 'poster.jpg',
    sprite: { path: 'sprite.jpg', ...stills.sprite },
    frames,
    frameClassifier: scored ? CLASSIFIER_IDENTITY : null,
    files: ['poster.jpg', 'sprite.jpg', ...frames.map((frame) => frame.path), ...ladder.files],
  }
}

export async function runTranscodeJob(
  request: JobRequest,
  context: JobContext,
): Promise<JobResult> {
  const started = Date.now()
  const { progress, signal } = context
  const workDir = await mkdtemp(
    path.join(context.workRoot, `${WORK_DIR_PREFIX}${process.pid}-${request.jobId}-`),
  )
  try {
    const source = path.join(workDir, 'source')
    progress.update('downloading', 0)
    await downloadSource(request.sourceUrl, source, context.maxSourceBytes, signal, (fraction) =>
      progress.update('downloading', fraction),
    )

    progress.update('probing', 0)
    const { videoSeconds, ...probe } = await inspectSource(
      context.tools,
      source,
      request.limits.maxDurationSeconds,
    )

    const { files, ...outputs } = await encode(context, workDir, source, probe, videoSeconds)

    progress.update('uploading', 0)
    const bytes = await uploadOutputs(
      request.outputUrl,
      workDir,
      files,
      MASTER_PLAYLIST,
      signal,
      (done, total) => progress.update('uploading', done / total),
    ).catch((error: unknown) => {
      signal.throwIfAborted()
      const detail = error instanceof Error ? error.message : String(error)
      throw new JobFailure(
        'internal',
        'We could not store the converted video. We will try again.',
        {
          detail,
        },
      )
    })
    return { probe, ...outputs, bytes, elapsedMs: Date.now() - started }
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}
