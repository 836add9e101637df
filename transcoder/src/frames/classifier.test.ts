import { expect, it } from 'vitest'
import { silentLogger } from '../log'
import { createFrameClassifier } from './classifier'

it('degrades to unscored frames when the model cannot load, without throwing', async () => {
  let attempts = 0
  const classifier = createFrameClassifier({
    enabled: true,
    logger: silentLogger,
    loadModel: () => {
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
