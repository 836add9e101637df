import {
  GoogleGenerativeAI,
  GoogleGenerativeAIFetchError,
  SchemaType,
  type Part,
  type ResponseSchema,
} from '@google/generative-ai'
import { z } from 'zod'
import { CATEGORIES } from './policy'

// Gemini as a moderation signal. The real client (@google/generative-ai)
// talks to Google, or in tests to a local server that speaks the same
// generateContent protocol (GEMINI_BASE_URL).

export const CATEGORY_DEFINITIONS: Record<(typeof CATEGORIES)[number], string> = {
  S: 'sexual: content meant to arouse, sexual acts, nudity in a sexual context',
  H: 'hate: content that expresses, incites or promotes hate based on a protected attribute',
  V: 'violence: content that promotes or glorifies violence or celebrates suffering',
  HR: 'harassment: content that harasses, bullies or targets a person',
  SH: 'self-harm: content that promotes, encourages or depicts self-harm or suicide',
  S3: 'sexual/minors: sexual content that includes anyone under 18',
  H2: 'hate/threatening: hateful content that also threatens violence or serious harm',
  V2: 'violence/graphic: gore, graphic depiction of death, injury or violence',
}

const categoryVerdict = z.object({
  score: z.number().min(0).max(1),
  timestamps: z.array(z.number()).default([]),
  explanation: z.string().default(''),
})
export const geminiVerdict = z.object({
  categories: z.object(
    Object.fromEntries(CATEGORIES.map((c) => [c, categoryVerdict])) as Record<
      (typeof CATEGORIES)[number],
      typeof categoryVerdict
    >,
  ),
  labels: z.array(z.string()).default([]),
  suggestedCategories: z.array(z.string()).max(3).default([]),
  summary: z.string().default(''),
})
export type GeminiVerdict = z.infer<typeof geminiVerdict>

const numberArray = { type: SchemaType.ARRAY, items: { type: SchemaType.NUMBER } } as const
const responseSchema: ResponseSchema = {
  type: SchemaType.OBJECT,
  properties: {
    categories: {
      type: SchemaType.OBJECT,
      properties: Object.fromEntries(
        CATEGORIES.map((c) => [
          c,
          {
            type: SchemaType.OBJECT,
            properties: {
              score: { type: SchemaType.NUMBER },
              timestamps: numberArray,
              explanation: { type: SchemaType.STRING },
            },
            required: ['score', 'timestamps', 'explanation'],
          },
        ]),
      ),
      required: [...CATEGORIES],
    },
    labels: { type: SchemaType.ARRAY, items: { type: SchemaType.STRING } },
    suggestedCategories: { type: SchemaType.ARRAY, items: { type: SchemaType.STRING } },
    summary: { type: SchemaType.STRING },
  },
  required: ['categories', 'labels', 'suggestedCategories', 'summary'],
}

export type GeminiFrame = { timeSeconds: number; jpeg: Uint8Array }
export type GeminiOptions = {
  apiKey: string
  model: string
  baseUrl?: string
  maxAttempts?: number
  baseDelayMs?: number
  timeoutMs?: number
}

export const geminiOptions = (env: Env): GeminiOptions => ({
  apiKey: env.GEMINI_API_KEY,
  model: env.GEMINI_MODEL,
  baseUrl: env.GEMINI_BASE_URL,
  timeoutMs: Number(env.GEMINI_TIMEOUT_SECONDS || 30) * 1000,
})

export class GeminiUnavailable extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message)
  }
}

function base64(bytes: Uint8Array) {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary)
}

function retryable(err: unknown): { retry: boolean; afterMs?: number } {
  if (err instanceof GoogleGenerativeAIFetchError) {
    const status = err.status ?? 0
    const retryInfo = err.errorDetails?.find((d) => String(d['@type']).endsWith('RetryInfo'))
    const delay = typeof retryInfo?.retryDelay === 'string' ? parseFloat(retryInfo.retryDelay) : NaN
    return {
      retry: status === 429 || status >= 500,
      afterMs: Number.isFinite(delay) ? delay * 1000 : undefined,
    }
  }
  // Timeouts, network errors and unparseable answers are worth another try.
  return { retry: true }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// Asks Gemini for a verdict; retries 429/5xx/timeouts/malformed answers with
// exponential backoff and jitter, a bounded number of times, then gives up
// with GeminiUnavailable (the caller fails closed).
export async function askGemini(
  opts: GeminiOptions,
  input: {
    title: string
    description: string
    tags: string[]
    frames: GeminiFrame[]
    categoryChoices: string[]
    // A comment is judged on its text alone.
    comment?: string
  },
): Promise<{ verdict: GeminiVerdict; attempts: number }> {
  const client = new GoogleGenerativeAI(opts.apiKey)
  const model = client.getGenerativeModel(
    {
      model: opts.model,
      generationConfig: { responseMimeType: 'application/json', responseSchema, temperature: 0 },
      systemInstruction:
        'You are a content moderator for a short-video platform. Score each category from 0 (absent) to 1 (certainly present) using these definitions:\n' +
        Object.entries(CATEGORY_DEFINITIONS)
          .map(([c, d]) => `- ${c}: ${d}`)
          .join('\n') +
        '\nList the timestamps (seconds) of the frames where a category occurs, explain each non-zero score in one sentence, give short content labels, and suggest 1-3 categories for the video from this list only: ' +
        input.categoryChoices.join(', '),
    },
    { baseUrl: opts.baseUrl || undefined, timeout: opts.timeoutMs ?? 30_000 },
  )
  const parts: Part[] =
    input.comment !== undefined
      ? [{ text: `A viewer's comment on a video:\n${input.comment}` }]
      : [
          {
            text: `Title: ${input.title}\nDescription: ${input.description}\nTags: ${input.tags.join(', ')}\nFrames follow, each preceded by its timestamp.`,
          },
          ...input.frames.flatMap((f): Part[] => [
            { text: `Frame at ${f.timeSeconds.toFixed(1)} s:` },
            { inlineData: { mimeType: 'image/jpeg', data: base64(f.jpeg) } },
          ]),
        ]
  const maxAttempts = opts.maxAttempts ?? 4
  const baseDelay = opts.baseDelayMs ?? 1000
  let lastError = ''
  let attempt = 0
  while (attempt < maxAttempts) {
    attempt++
    try {
      const result = await model.generateContent({ contents: [{ role: 'user', parts }] })
      const verdict = geminiVerdict.parse(JSON.parse(result.response.text()))
      return { verdict, attempts: attempt }
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err)
      const { retry, afterMs } = retryable(err)
      if (!retry || attempt === maxAttempts) break
      const backoff = baseDelay * 2 ** (attempt - 1)
      await sleep(Math.min(30_000, afterMs ?? backoff / 2 + Math.random() * backoff))
    }
  }
  throw new GeminiUnavailable(lastError, attempt)
}
