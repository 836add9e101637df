// The frame check's false positives on ordinary frames (issue 15). Scores every frame of the
// generated sets (frame-sets.mjs) with the transcoder's classifier (nsfwjs MobileNetV2, the
// bundled weights), then replays the Worker's video policy with the frame signal alone, so a clip
// is held or rejected only because of its frames. Prints JSON: per set, per category, the share of
// frames over each threshold and the share of clips the policy would not publish, at the built-in
// thresholds and rule ("after") and at the ones before calibration ("before").
//
//   npx tsx bench/moderation/frames.ts            (renders the sets first if they are not on disk)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createFrameClassifier } from '../../transcoder/src/frames/classifier'
import { silentLogger } from '../../transcoder/src/log'
import {
  DEFAULT_VIDEO_THRESHOLDS,
  type VideoThresholds,
} from '../../worker/src/features/moderation/policy'
import { frameSignals, type FrameScore } from '../../worker/src/features/moderation/signals'
import { decideVideo } from '../../worker/src/features/moderation/video-policy'
import { ensureFrameSet, FRAME_SETS_DIR, SET_NAMES } from './frame-sets.mjs'

type Scores = Record<string, number>

// The thresholds the policy shipped with before this calibration, for the "before" figures.
const BEFORE: VideoThresholds = {
  ...DEFAULT_VIDEO_THRESHOLDS,
  frames: { S: { review: 0.6, block: 0.97 }, suggestive: { review: 0.85, block: null } },
}

async function scoreSet(set: string): Promise<Record<string, Scores[]>> {
  const clips = ensureFrameSet(set)
  // Scores are cached beside the frames: the policy can be replayed without the model.
  const cache = path.join(FRAME_SETS_DIR, set, 'scores.json')
  const cached: Record<string, Scores> = existsSync(cache)
    ? (JSON.parse(readFileSync(cache, 'utf8')) as Record<string, Scores>)
    : {}
  const classifier = createFrameClassifier({ enabled: true, logger: silentLogger })
  const out: Record<string, Scores[]> = {}
  for (const [clip, frames] of Object.entries(clips)) {
    out[clip] = []
    for (const frame of frames) {
      const key = path.relative(FRAME_SETS_DIR, frame)
      let scores = cached[key]
      if (!scores) {
        const fresh = await classifier.scoreFrame(frame)
        if (fresh === null) throw new Error(`the classifier did not score ${frame}`)
        scores = fresh
        cached[key] = scores
      }
      out[clip].push(scores)
    }
  }
  writeFileSync(cache, JSON.stringify(cached))
  return out
}

const rate = (n: number, of: number) => ({ n, of, rate: of ? +(n / of).toFixed(4) : 0 })

function measure(clips: Record<string, Scores[]>, thresholds: VideoThresholds) {
  const frames = Object.values(clips).flat()
  const S = frames.map((s) => Math.min(1, (s.Porn ?? 0) + (s.Hentai ?? 0)))
  const suggestive = frames.map((s) => s.Sexy ?? 0)
  const over = (values: number[], level: number | null) =>
    rate(level === null ? 0 : values.filter((v) => v >= level).length, values.length)
  const decisions: Record<string, { decision: string; triggers: string[]; reason: string }> = {}
  for (const [clip, scores] of Object.entries(clips)) {
    const timeline: FrameScore[] = scores.map((s, i) => ({ timeSeconds: i, scores: s }))
    const decision = decideVideo(
      {
        // The frame signal alone: no Gemini, text that flags nothing.
        gemini: { configured: false, verdict: null },
        frames: frameSignals(timeline),
        text: {},
      },
      thresholds,
    )
    decisions[clip] = {
      decision: decision.decision,
      triggers: decision.triggers.map((t) => `${t.category} ${t.level} ${t.score.toFixed(2)}`),
      reason: decision.reason,
    }
  }
  const notPublished = (category: string) =>
    rate(
      Object.values(decisions).filter((d) => d.triggers.some((t) => t.startsWith(`${category} `)))
        .length,
      Object.keys(decisions).length,
    )
  return {
    frames: {
      S: {
        review: over(S, thresholds.frames.S.review),
        block: over(S, thresholds.frames.S.block),
      },
      suggestive: { review: over(suggestive, thresholds.frames.suggestive.review) },
    },
    clips: {
      heldOrRejected: rate(
        Object.values(decisions).filter((d) => d.decision !== 'published').length,
        Object.keys(decisions).length,
      ),
      rejected: rate(
        Object.values(decisions).filter((d) => d.decision === 'rejected').length,
        Object.keys(decisions).length,
      ),
      byCategory: { S: notPublished('S'), suggestive: notPublished('suggestive') },
    },
    notPublished: Object.fromEntries(
      Object.entries(decisions).filter(([, d]) => d.decision !== 'published'),
    ),
  }
}

const sets = process.argv.slice(2).length ? process.argv.slice(2) : SET_NAMES
const report: Record<string, unknown> = {
  bench: 'moderation-frames',
  classifier: 'nsfwjs 4.3.0 MobileNetV2 (tfjs wasm)',
  thresholds: { before: BEFORE.frames, after: DEFAULT_VIDEO_THRESHOLDS.frames },
}
for (const set of sets) {
  const clips = await scoreSet(set)
  const frames = Object.values(clips).flat()
  const top = (pick: (s: Scores) => number) =>
    Object.entries(clips)
      .map(([clip, scores]) => [clip, Math.max(...scores.map(pick))] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([clip, max]) => `${clip} ${max.toFixed(3)}`)
  report[set] = {
    clips: Object.keys(clips).length,
    frames: frames.length,
    highestS: top((s) => (s.Porn ?? 0) + (s.Hentai ?? 0)),
    highestSuggestive: top((s) => s.Sexy ?? 0),
    before: measure(clips, BEFORE),
    after: measure(clips, DEFAULT_VIDEO_THRESHOLDS),
  }
}
console.log(JSON.stringify(report, null, 2))
