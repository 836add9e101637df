// A CPU profile of a run of requests through the inspector of `wrangler dev`
// (--inspector-port): self and inclusive time by function, per request. Used by feed.mjs
// (BENCH_PROFILE=1); the profiler itself inflates the figures.
import { load } from '../lib.mjs'

// `url` is loaded `requests` times at `concurrency` with `init(i)` while every inspector
// target samples every 200 us.
export async function profileRequests({
  inspectorPort,
  url,
  init,
  requests = 400,
  concurrency = 4,
}) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()
  const WS = globalThis.WebSocket ?? (await import('ws')).default
  const results = []
  for (const target of targets) {
    const ws = new WS(target.webSocketDebuggerUrl)
    await new Promise((resolve, reject) => {
      ws.onopen = resolve
      ws.onerror = reject
    })
    let id = 0
    const waiting = new Map()
    ws.onmessage = (event) => {
      const msg = JSON.parse(String(event.data))
      if (msg.id && waiting.has(msg.id)) waiting.get(msg.id)(msg)
    }
    const send = (method, params = {}) =>
      new Promise((resolve) => {
        const n = ++id
        waiting.set(n, resolve)
        ws.send(JSON.stringify({ id: n, method, params }))
      })
    results.push({ target, ws, send })
  }
  for (const r of results) {
    await r.send('Profiler.enable')
    await r.send('Profiler.setSamplingInterval', { interval: 200 })
    await r.send('Profiler.start')
  }
  const run = await load(url, { requests, concurrency, init })
  const byFunction = new Map()
  const inclusive = new Map()
  let total = 0
  for (const r of results) {
    const { result } = await r.send('Profiler.stop')
    r.ws.close()
    const nodes = new Map(result.profile.nodes.map((n) => [n.id, n]))
    const parent = new Map()
    for (const n of result.profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
    const deltas = result.profile.timeDeltas
    const name = (f) => `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}`
    result.profile.samples.forEach((nodeId, i) => {
      const f = nodes.get(nodeId).callFrame
      const key = `${name(f)}:${f.lineNumber + 1}`
      const ms = (deltas[i] ?? 0) / 1000
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
      total += ms
      // Inclusive: every named function on the stack, once per sample.
      const seen = new Set()
      for (let at = nodeId; at !== undefined; at = parent.get(at)) {
        const frame = nodes.get(at).callFrame
        if (!frame.functionName) continue
        const k = name(frame)
        if (seen.has(k)) continue
        seen.add(k)
        inclusive.set(k, (inclusive.get(k) ?? 0) + ms)
      }
    })
  }
  const busy = [...byFunction].filter(
    ([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)'),
  )
  const busyMs = busy.reduce((s, [, ms]) => s + ms, 0)
  return {
    run,
    profiledMs: Math.round(total),
    jsBusyMsPerRequest: Number((busyMs / run.requests).toFixed(2)),
    topSelfMs: busy
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([k, ms]) => [k, Number((ms / run.requests).toFixed(3))]),
    topInclusiveMs: [...inclusive]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 60)
      .map(([k, ms]) => [k, Number((ms / run.requests).toFixed(3))]),
  }
}
