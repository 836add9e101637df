// npm run classify:comments — JSON lines {"text": ...} on stdin, one JSON line per input on stdout
// with each label's score and the decision. Same featuriser, model file, thresholds and decide()
// as the Worker. A bad line gets an {"error": ...} line; the run goes on.
import { createInterface } from 'node:readline'
import { ONNX_PATH, readMetadata } from './corpus'
import { moderateTexts } from './moderate'
import { loadClassifier } from './onnx-session'

type Output = Record<string, unknown>

function parseLine(line: string): { text: string; id?: unknown } | { error: string } {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    return { error: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'expected an object like {"text": "..."}' }
  }
  const record = value as Record<string, unknown>
  if (typeof record.text !== 'string') return { error: 'missing string field "text"' }
  return 'id' in record ? { text: record.text, id: record.id } : { text: record.text }
}

async function main(): Promise<void> {
  const metadata = readMetadata()
  const classifier = await loadClassifier(ONNX_PATH, metadata.featurizer)
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  let lineNumber = 0
  for await (const line of lines) {
    lineNumber++
    if (line.trim() === '') continue
    const parsed = parseLine(line)
    let out: Output
    if ('error' in parsed) out = { line: lineNumber, error: parsed.error }
    else {
      const [result] = await moderateTexts([parsed.text], metadata, classifier.run)
      if (result === undefined) throw new Error('no result for a non-empty batch')
      out = {
        ...(parsed.id === undefined ? {} : { id: parsed.id }),
        ...result.scores,
        decision: result.decision,
        flagged: result.flagged,
        reason: result.reason,
        model: result.model,
      }
    }
    process.stdout.write(`${JSON.stringify(out)}\n`)
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
