import { expect, it } from 'vitest'
import { silentLogger } from '../log'
import { createFrameClassifier } from './classifier'
import type { BackendContext, ClassifierBackend, FrameScores } from './classifier'

const SCORES: FrameScores = { Drawing: 0.1, Hentai: 0, Neutral: 0.9, Porn: 0, Sexy: 0 }

it('degrades to unscored frames when the model cannot load, without throwing', async () => {
  let attempts = 0
  const classifier = createFrameClassifier({
    enabled: true,
    logger: silentLogger,
    startBackend: () => {
      attempts++
      return Promise.reject(new Error('wasm backend missing'))
    },
  })
  expect(classifier.status()).toBe('loading')
  expect(await classifier.ready()).toBe(false)
  expect(await classifier.scoreFrame('/nonexistent/0001.jpg')).toBeNull()
  expect(classifier.status()).toBe('unavailable')
  // Loaded (or failed) once per process, not once per frame.
  expect(attempts).toBe(1)
})

it('is unavailable at once when switched off', async () => {
  const classifier = createFrameClassifier({ enabled: false, logger: silentLogger })
  expect(classifier.status()).toBe('unavailable')
  expect(await classifier.scoreFrame('/nonexistent/0001.jpg')).toBeNull()
})

it('a frame asked for while the model loads waits for that same load', async () => {
  let starts = 0
  let finishLoad: (backend: ClassifierBackend) => void = () => {}
  const classifier = createFrameClassifier({
    enabled: true,
    logger: silentLogger,
    startBackend: () => {
      starts++
      return new Promise((resolve) => (finishLoad = resolve))
    },
  })
  // What start-up does; the job's frames come while it is still loading.
  const started = classifier.ready()
  const first = classifier.scoreFrame('frames/0001.jpg')
  const second = classifier.scoreFrame('frames/0002.jpg')
  await new Promise((resolve) => setTimeout(resolve, 20))
  expect(classifier.status()).toBe('loading')
  const scored: string[] = []
  finishLoad({
    score: (jpegPath) => {
      scored.push(jpegPath)
      return Promise.resolve(SCORES)
    },
  })
  expect(await first).toEqual(SCORES)
  expect(await second).toEqual(SCORES)
  expect(await started).toBe(true)
  expect(starts).toBe(1)
  expect(scored).toEqual(['frames/0001.jpg', 'frames/0002.jpg'])
  expect(classifier.status()).toBe('ready')
})

it('closing stops a load in progress and later frames go unscored', async () => {
  let context: BackendContext | null = null
  const classifier = createFrameClassifier({
    enabled: true,
    logger: silentLogger,
    startBackend: (given) => {
      context = given
      return new Promise((_resolve, reject) =>
        given.signal.addEventListener('abort', () => reject(new Error('closed'))),
      )
    },
  })
  const pending = classifier.scoreFrame('frames/0001.jpg')
  await classifier.close()
  expect(context).not.toBeNull()
  expect(await pending).toBeNull()
  expect(await classifier.scoreFrame('frames/0002.jpg')).toBeNull()
  expect(classifier.status()).toBe('unavailable')
})

it('a backend lost after loading leaves frames unscored, not a job waiting forever', async () => {
  let lose: (error: unknown) => void = () => {}
  const classifier = createFrameClassifier({
    enabled: true,
    logger: silentLogger,
    startBackend: ({ onLost }) => {
      lose = onLost
      return Promise.resolve({ score: () => Promise.resolve(SCORES) })
    },
  })
  expect(await classifier.scoreFrame('frames/0001.jpg')).toEqual(SCORES)
  lose(new Error('thread exited (1)'))
  expect(classifier.status()).toBe('unavailable')
  expect(await classifier.scoreFrame('frames/0002.jpg')).toBeNull()
})
