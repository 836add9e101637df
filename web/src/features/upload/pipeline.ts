import type { VideoStatus } from '../videos/status'
import { STATUS_WORDS } from '../videos/status'

export type StepKey = 'upload' | 'process' | 'check' | 'result'
// `waiting`: under way, but on a person (a moderator), so no spinner that suggests seconds.
export type StepState = 'done' | 'current' | 'waiting' | 'upcoming' | 'stopped'

export interface PipelineStep {
  key: StepKey
  label: string
  state: StepState
}

// Each step's words while it is ahead, under way and behind the clip.
const WORDS: Record<StepKey, Record<'upcoming' | 'current' | 'done', string>> = {
  upload: { upcoming: 'Upload', current: 'Uploading', done: 'Uploaded' },
  process: { upcoming: 'Processing', current: 'Processing', done: 'Processed' },
  check: { upcoming: 'Check', current: 'Checking', done: 'Checked' },
  result: { upcoming: 'Publish', current: 'Publishing', done: 'Published' },
}

const ORDER: StepKey[] = ['upload', 'process', 'check', 'result']

// Which step a status is at. The moderation check gets its own step even though it often
// lasts under a second: a clip that went straight from processing to published still shows
// that it was checked.
const AT: Record<VideoStatus, StepKey> = {
  uploading: 'upload',
  processing: 'process',
  moderating: 'check',
  published: 'result',
  in_review: 'result',
  rejected: 'result',
  removed: 'result',
  // The page follows a clip from the end of its upload: a failure there is a processing one.
  failed: 'process',
}

// Ends that are not "published": the step that stopped says how.
const STOPPED: Partial<Record<VideoStatus, string>> = {
  failed: 'Failed',
  rejected: 'Not published',
  removed: 'Removed',
}

// The frame check runs inside the transcoder, so the server still says `processing` while it
// runs (about 80-90%); only the stage words the Worker stores for the transcoder's report tell
// it apart (STAGE_WORDS in worker/src/features/media/callback-routes.ts). Saving the results
// comes after the frame check and ends where the Worker's own check begins, so it stays at Check
// rather than sending the creator back to Processing.
const CHECK_STAGE_REASONS = new Set([
  'Taking frames for moderation',
  'Checking frames',
  'Saving the results',
])

export function inFrameCheck(status: VideoStatus, statusReason: string | null | undefined) {
  return status === 'processing' && CHECK_STAGE_REASONS.has(statusReason ?? '')
}

// `checking`: a processing clip whose frames are being checked (see inFrameCheck).
export function pipelineSteps(status: VideoStatus, checking = false): PipelineStep[] {
  const at = ORDER.indexOf(checking && status === 'processing' ? 'check' : AT[status])
  return ORDER.map((key, i) => {
    if (i < at) return { key, label: WORDS[key].done, state: 'done' }
    if (i > at) return { key, label: WORDS[key].upcoming, state: 'upcoming' }
    const stopped = STOPPED[status]
    if (stopped !== undefined) return { key, label: stopped, state: 'stopped' }
    if (status === 'published') return { key, label: WORDS.result.done, state: 'done' }
    if (status === 'in_review') return { key, label: 'Held for review', state: 'waiting' }
    return { key, label: WORDS[key].current, state: 'current' }
  })
}

// The heading names the stage the clip is in; final states keep the words used everywhere else.
export function stageHeading(status: VideoStatus, checking = false): string {
  if (status === 'processing') return checking ? 'Checking your clip' : 'Processing your clip'
  if (status === 'moderating') return 'Checking your clip'
  return STATUS_WORDS[status]
}
