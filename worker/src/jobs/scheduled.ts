import { analyseUserPreferences } from '../features/recommendations/preferences'
import { rebuildRecommendations } from '../features/recommendations/rebuild'
import { sweepStuckVideos } from './sweeper'

// Cron expression -> job. The expressions are those in wrangler.toml.
const jobs: Record<string, (env: Env) => Promise<unknown>> = {
  '*/5 * * * *': sweepStuckVideos,
  '0 3 * * *': (env) => rebuildRecommendations(env, 'cron'),
  '0 4 * * *': (env) => analyseUserPreferences(env, 'cron'),
}

export async function runScheduled(cron: string, env: Env) {
  const job = jobs[cron]
  if (!job) {
    console.warn(JSON.stringify({ level: 'warn', event: 'unknown-cron', cron }))
    return
  }
  const started = Date.now()
  const result = await job(env)
  console.log(JSON.stringify({ event: 'cron', cron, ms: Date.now() - started, result }))
}
