// The recommendation engine is pure TypeScript, so its tests run in plain Node, fast and
// apart from the workerd pool the route tests use.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Same include whether vitest runs from the repo root or from worker/.
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    environment: 'node',
    include: ['src/features/recommendations/engine/**/*.test.ts', 'scripts/lib/**/*.test.ts'],
  },
})
