// Shared load generator for the HTTP benchmarks: a fixed number of requests at
// a fixed concurrency against a server on this machine; prints nothing itself.
// `init` is fetch's options, or a function of the request's index (e.g. to
// sign each request in as a different user); `url` may also be a function of
// the index (e.g. to like a different clip each time).
export async function load(url, { requests = 2000, concurrency = 32, init } = {}) {
  const latencies = []
  const statuses = {}
  let errors = 0
  let next = 0
  const started = performance.now()
  async function worker() {
    while (next < requests) {
      const i = next++
      const t0 = performance.now()
      try {
        const target = typeof url === 'function' ? url(i) : url
        const res = await fetch(target, typeof init === 'function' ? init(i) : init)
        await res.arrayBuffer()
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
        if (res.status >= 400) errors++
      } catch {
        errors++
      }
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]
  return {
    requests,
    concurrency,
    errors,
    statuses,
    requestsPerSecond: Math.round(requests / seconds),
    p50Ms: Number(pct(50).toFixed(2)),
    p99Ms: Number(pct(99).toFixed(2)),
  }
}
