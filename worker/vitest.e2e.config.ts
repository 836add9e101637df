import { defineConfig } from 'vitest/config'

// End-to-end tests: the platform started as `npm start` starts it (wrangler
// dev + the transcoder process + real ffmpeg), driven over HTTP from Node.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['./e2e/global-setup.mjs'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
})
