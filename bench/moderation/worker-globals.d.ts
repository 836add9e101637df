// frames.ts replays the Worker's pure video policy in Node. policy.ts and gemini.ts also hold
// the KV/D1/Gemini helpers, whose signatures name the Worker's globals; the bench never calls
// them, so the few members they read are declared here rather than pulling in the Worker's types
// (which clash with Node's).
interface Env {
  GEMINI_API_KEY: string
  GEMINI_MODEL: string
  GEMINI_BASE_URL: string
  GEMINI_TIMEOUT_SECONDS: string
  CONFIG: {
    get<T>(key: string, type: 'json'): Promise<T | null>
    put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
    delete(key: string): Promise<void>
  }
}
type D1Database = object
