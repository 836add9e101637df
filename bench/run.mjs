// `npm run bench`: runs every benchmark and prints one JSON document per
// benchmark. `npm run bench -- api` runs only the named ones.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../scripts/lib.mjs'
import { ensureDevVars } from '../scripts/platform.mjs'

const BENCHES = {
  api: ['node', 'bench/api/run.mjs'],
  transcode: ['npx', 'tsx', 'bench/transcode/run.ts'],
  upload: ['node', 'bench/upload/run.mjs'],
  recs: ['npx', 'tsx', 'bench/recs/run.ts'],
  'recs-worker': ['npx', 'tsx', 'bench/recs/worker.ts'],
  'recs-feed': ['node', 'bench/recs/feed.mjs'],
  comments: ['node', 'bench/comments/run.mjs'],
  'comments-model': ['npx', 'tsx', 'bench/comments-model/run.ts'],
  moderation: ['npx', 'tsx', 'bench/moderation/run.ts'],
  'moderation-frames': ['npx', 'tsx', 'bench/moderation/frames.ts'],
  web: ['npx', 'tsx', 'bench/web/run.ts'],
}

// The benches start wrangler dev from the repository, which reads its local secrets from
// .dev.vars: made as `npm start` makes it, so a fresh clone benches without starting first.
ensureDevVars((line) => console.error(line))
const wanted = process.argv.slice(2)
let failed = 0
for (const [name, [cmd, ...args]] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue
  const script = args[args.length - 1]
  if (!existsSync(join(ROOT, script))) continue
  console.error(`--- bench ${name}`)
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0) {
    failed++
    console.error(`bench ${name} failed (exit ${result.status})`)
  }
}
process.exit(failed ? 1 : 0)
