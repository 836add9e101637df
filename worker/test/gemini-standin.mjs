// A local stand-in for Google's Gemini API that speaks the generateContent
// REST protocol, so the real @google/generative-ai client runs against it.
// Tests script its answers per model name (each test uses its own model name,
// so parallel test files do not share a script):
//   POST /__control/script {model, responses: [behavior, ...]}  answers in order, then the default
//   GET  /__control/requests?model=...                          what it received
// A behavior is one of:
//   {kind: 'verdict', verdict}            a JSON verdict as the model's text
//   {kind: 'malformed'}                   text that is not JSON
//   {kind: 'status', status, retryDelay?} an API error (429 with RetryInfo, 500...)
//   {kind: 'slow', ms, then}              answers `then` after a delay
import { createServer } from 'node:http'

const CATEGORIES = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2']
export const SAFE_VERDICT = {
  categories: Object.fromEntries(
    CATEGORIES.map((c) => [c, { score: 0.01, timestamps: [], explanation: '' }]),
  ),
  labels: ['test pattern'],
  suggestedCategories: ['science'],
  summary: 'A synthetic test pattern with a tone; nothing objectionable.',
}

const scripts = new Map()
const received = new Map()

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(body))
}

function answer(res, behavior) {
  switch (behavior.kind) {
    case 'slow':
      setTimeout(
        () => answer(res, behavior.then ?? { kind: 'verdict', verdict: SAFE_VERDICT }),
        behavior.ms,
      )
      return
    case 'status': {
      const details = behavior.retryDelay
        ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: behavior.retryDelay }]
        : []
      send(res, behavior.status, {
        error: {
          code: behavior.status,
          message: `stand-in error ${behavior.status}`,
          status: behavior.status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL',
          details,
        },
      })
      return
    }
    case 'malformed':
      return send(res, 200, modelText('{"categories": {"S": {"score": oops'))
    default:
      return send(res, 200, modelText(JSON.stringify(behavior.verdict ?? SAFE_VERDICT)))
  }
}

function modelText(text) {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 10, totalTokenCount: 20 },
    modelVersion: 'stand-in',
  }
}

async function readBody(req) {
  const chunks = []
  for await (const chunk of req) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

export function startGeminiStandIn(port = 0) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    try {
      if (url.pathname === '/__control/script' && req.method === 'POST') {
        const { model, responses } = JSON.parse(await readBody(req))
        scripts.set(model, [...responses])
        received.set(model, [])
        return send(res, 200, { ok: true })
      }
      if (url.pathname === '/__control/requests') {
        return send(res, 200, { requests: received.get(url.searchParams.get('model')) ?? [] })
      }
      const match = /^\/v1beta\/models\/([^:]+):generateContent$/.exec(url.pathname)
      if (!match || req.method !== 'POST')
        return send(res, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } })
      const model = decodeURIComponent(match[1])
      if (!req.headers['x-goog-api-key']) {
        return send(res, 403, {
          error: { code: 403, message: 'API key missing', status: 'PERMISSION_DENIED' },
        })
      }
      const body = JSON.parse(await readBody(req))
      const parts = body.contents?.flatMap((c) => c.parts ?? []) ?? []
      const log = received.get(model) ?? []
      log.push({
        images: parts.filter((p) => p.inlineData).length,
        texts: parts.filter((p) => p.text).map((p) => p.text),
        responseMimeType: body.generationConfig?.responseMimeType,
        hasSchema: !!body.generationConfig?.responseSchema,
      })
      received.set(model, log)
      const queue = scripts.get(model) ?? []
      answer(res, queue.shift() ?? { kind: 'verdict', verdict: SAFE_VERDICT })
    } catch (err) {
      send(res, 500, { error: { code: 500, message: String(err), status: 'INTERNAL' } })
    }
  })
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)))
}
