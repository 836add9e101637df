// Benchmark-only entry point around the production Worker, to measure what the
// rate-limit middleware costs in one run. A request with `x-bench-limits: off`
// gets rate-limit bindings that allow everything at once, so the same server,
// code and data answer both variants and only the binding calls differ. The
// middleware's own work (matching the rule table, building keys) still runs in
// both. Every binding call is counted; GET /api/__bench/limit-calls reads and
// resets the counts. Never deployed: the production entry has no such switch.
import worker from '../../worker/src/index'

export { FeedState, TranscoderContainer } from '../../worker/src/index'

const LIMITS = [5, 10, 20, 30, 60, 120] as const
type LimitBinding = `RATE_LIMIT_${(typeof LIMITS)[number]}`

const calls = { on: 0, off: 0 }

const allowAll: RateLimit = {
  limit: async () => {
    calls.off++
    return { success: true }
  },
}

function counted(binding: RateLimit): RateLimit {
  return {
    // Not timed here: inside workerd the clock does not move during these calls.
    limit: (options) => {
      calls.on++
      return binding.limit(options)
    },
  }
}

function withLimits(env: Env, off: boolean): Env {
  const swapped: Partial<Record<LimitBinding, RateLimit>> = {}
  for (const n of LIMITS) {
    const name: LimitBinding = `RATE_LIMIT_${n}`
    swapped[name] = off ? allowAll : counted(env[name])
  }
  return { ...env, ...swapped }
}

export default {
  ...worker,
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/api/__bench/limit-calls') {
      const body = { ...calls }
      calls.on = 0
      calls.off = 0
      return Response.json(body)
    }
    const off = request.headers.get('x-bench-limits') === 'off'
    return worker.fetch(request, withLimits(env, off), ctx)
  },
} satisfies ExportedHandler<Env, unknown>
