import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// wrangler.toml serves web/dist as static assets; API tests do not need the
// built app, only the folder.
mkdirSync(fileURLToPath(new URL('../web/dist', import.meta.url)), { recursive: true })

// Worker tests run inside workerd with the real bindings from wrangler.toml
// (D1, R2, KV, Queues, Durable Objects via Miniflare).
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: '../wrangler.toml' },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(
            fileURLToPath(new URL('../migrations', import.meta.url)),
          ),
          SIGNING_SECRET: 'test-signing-secret',
          TRANSCODER_TOKEN: 'test-transcoder-token',
          GEMINI_API_KEY: '',
          // Nothing listens here: transcode jobs queued by tests fail fast and retry.
          TRANSCODER_URL: 'http://127.0.0.1:9',
        },
      },
    })),
  ],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['src/features/recommendations/engine/**'],
    setupFiles: ['./test/apply-migrations.ts'],
    testTimeout: 30_000,
  },
})
