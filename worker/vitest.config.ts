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
      wrangler: { configPath: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) },
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
  // The repository root, so modules outside worker/ (the ONNX runtime's wasm
  // in the hoisted node_modules, the model in models/) resolve as plain paths.
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: {
    // obscenity's ESM entry re-exports its CommonJS build through a default
    // import the pool's module loader does not resolve; use the CJS build.
    alias: {
      obscenity: fileURLToPath(new URL('../node_modules/obscenity/dist/index.js', import.meta.url)),
    },
  },
  test: {
    include: ['worker/src/**/*.test.ts', 'worker/test/**/*.test.ts'],
    exclude: ['worker/src/features/recommendations/engine/**'],
    setupFiles: ['./worker/test/apply-migrations.ts'],
    globalSetup: ['./worker/test/global-setup.mjs'],
    testTimeout: 30_000,
  },
})
