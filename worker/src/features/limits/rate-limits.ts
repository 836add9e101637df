import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../../context'
import { users } from '../../db/schema'
import { ApiError, RateLimited } from '../../lib/errors'

// Every burst limit of the API, in one table. Each action counts per client IP
// and per signed-in account; a request over either limit gets 429 with
// Retry-After. Limits are requests per 60 s and each number is a Workers Rate
// Limiting binding `RATE_LIMIT_<n>` in wrangler.toml (keys carry the action,
// so actions sharing a binding never share a count).
//
// Longer windows need exact counts, which the binding (approximate, per
// location) cannot give; they live next to the code they guard:
// - uploads: 10 an hour per account, one atomic D1 statement (uploads/service.ts);
// - login: LOGIN_LOCKOUT below, an exact D1 counter per email + IP (auth/lockout.ts).
export type Limit = 5 | 10 | 20 | 30 | 60 | 120
export const RATE_LIMIT_PERIOD_SECONDS = 60

export type Action =
  | 'signup'
  | 'login'
  | 'comment'
  | 'reply'
  | 'report'
  | 'like'
  | 'follow'
  | 'upload'
  | 'edit'
  | 'delete'
  | 'curate'
  | 'appeal'
  | 'answer-appeal'
  | 'profile-image'

type Rule = {
  action: Action
  methods: string[]
  path: RegExp
  perIp: Limit
  perAccount?: Limit
  // A comment with a parentId is a reply, with its own (looser) limit.
  replyWhenBodyHas?: 'parentId'
}

const segment = '[^/]+'
export const RATE_LIMITS: Rule[] = [
  { action: 'signup', methods: ['POST'], path: /^\/api\/auth\/register$/, perIp: 5 },
  { action: 'login', methods: ['POST'], path: /^\/api\/auth\/login$/, perIp: 30 },
  {
    action: 'comment',
    methods: ['POST'],
    path: new RegExp(`^/api/videos/${segment}/comments$`),
    perIp: 60,
    perAccount: 10,
    replyWhenBodyHas: 'parentId',
  },
  { action: 'report', methods: ['POST'], path: /^\/api\/reports$/, perIp: 30, perAccount: 10 },
  {
    action: 'like',
    methods: ['POST', 'DELETE'],
    path: new RegExp(`^/api/videos/${segment}/like$`),
    perIp: 120,
    perAccount: 60,
  },
  {
    action: 'follow',
    methods: ['POST', 'DELETE'],
    path: new RegExp(`^/api/users/${segment}/follow$`),
    perIp: 60,
    perAccount: 30,
  },
  { action: 'upload', methods: ['POST'], path: /^\/api\/uploads$/, perIp: 30, perAccount: 10 },
  // A creator managing their clips and their comment sections.
  {
    action: 'edit',
    methods: ['PATCH'],
    path: new RegExp(`^/api/videos/${segment}$`),
    perIp: 60,
    perAccount: 30,
  },
  {
    action: 'delete',
    methods: ['DELETE'],
    path: new RegExp(`^/api/videos/${segment}$`),
    perIp: 60,
    perAccount: 30,
  },
  {
    action: 'curate',
    methods: ['POST', 'DELETE'],
    path: new RegExp(`^/api/comments/${segment}(/hide)?$`),
    perIp: 120,
    perAccount: 30,
  },
  // Appeals are read by people: few per account, and each one once (appeals/service.ts).
  { action: 'appeal', methods: ['POST'], path: /^\/api\/appeals$/, perIp: 30, perAccount: 5 },
  {
    action: 'answer-appeal',
    methods: ['POST'],
    path: new RegExp(`^/api/moderation/appeals/${segment}/decision$`),
    perIp: 120,
    perAccount: 60,
  },
  {
    action: 'profile-image',
    methods: ['PUT', 'DELETE'],
    path: /^\/api\/me\/(avatar|banner)$/,
    perIp: 30,
    perAccount: 10,
  },
]

// Replies share the comment route; their per-account limit is looser, since
// a conversation is quicker than top-level comments.
const REPLY_PER_ACCOUNT: Limit = 20

// Wrong passwords per (email, client IP) before that pair is locked out, and
// for how long. The window starts at the first failure and is not extended by
// attempts made while locked, so an attacker cannot keep a victim locked out
// for ever, and only the attacker's own IP is locked (the victim logs in from
// theirs).
export const LOGIN_LOCKOUT = { failures: 5, windowSeconds: 15 * 60 }

const MESSAGES: Record<Action, string> = {
  signup: 'Too many sign-ups from your network. Please wait a minute and try again.',
  login: 'Too many login attempts. Please wait a minute and try again.',
  comment: 'You are commenting very fast. Please wait a minute before posting again.',
  reply: 'You are replying very fast. Please wait a minute before posting again.',
  report: 'You have sent many reports in a short time. Please wait a minute.',
  like: 'Too many likes in a short time. Please wait a minute.',
  follow: 'Too many follows in a short time. Please wait a minute.',
  upload: 'Too many uploads in a short time. Please wait a minute.',
  edit: 'Too many edits in a short time. Please wait a minute.',
  delete: 'Too many deletions in a short time. Please wait a minute.',
  curate: 'You are hiding or deleting comments very fast. Please wait a minute.',
  appeal: 'You have sent several appeals in a short time. Please wait a minute.',
  'answer-appeal': 'Too many appeal answers in a short time. Please wait a minute.',
  'profile-image':
    'You have changed your pictures many times in a short time. Please wait a minute.',
}

// The client's address as Cloudflare's edge reports it (the edge always sets
// this header and overwrites any value the client sent). IPv6 clients usually
// hold a whole /64, so they are counted per /64. Locally Miniflare keeps a
// client-supplied header, which lets tests and e2e runs scope their own keys.
export function clientIp(c: Context<AppEnv>): string {
  const ip = c.req.header('CF-Connecting-IP')?.trim()
  if (!ip) return 'unknown'
  if (!ip.includes(':')) return ip
  const groups = ip.split(':')
  return `${groups.slice(0, 4).join(':')}::/64`
}

function bindingFor(env: Env, limit: Limit): RateLimit {
  return env[`RATE_LIMIT_${limit}`]
}

async function isReply(c: Context<AppEnv>): Promise<boolean> {
  try {
    const body: unknown = await c.req.json()
    return typeof body === 'object' && body !== null && 'parentId' in body && !!body.parentId
  } catch {
    // Not JSON: the route's validator answers 400; count it as a comment.
    return false
  }
}

export function matchRule(method: string, path: string): Rule | undefined {
  return RATE_LIMITS.find((r) => r.methods.includes(method) && r.path.test(path))
}

// The one rate-limit middleware, after the session middleware (per-account
// limits need to know who asks). Anonymous requests to account-limited routes
// are counted per IP and then refused by the route itself.
export const rateLimits = createMiddleware<AppEnv>(async (c, next) => {
  const rule = matchRule(c.req.method, c.req.path)
  if (!rule) return next()
  let action = rule.action
  let perAccount = rule.perAccount
  if (rule.replyWhenBodyHas && (await isReply(c))) {
    action = 'reply'
    perAccount = REPLY_PER_ACCOUNT
  }
  const user = c.var.user
  const checks: Promise<{ success: boolean }>[] = [
    bindingFor(c.env, rule.perIp).limit({ key: `${action}:ip:${clientIp(c)}` }),
  ]
  if (user && perAccount) {
    checks.push(bindingFor(c.env, perAccount).limit({ key: `${action}:user:${user.id}` }))
  }
  const results = await Promise.all(checks)
  if (results.every((r) => r.success)) return next()
  if (user) {
    // Remembered so that this account's reports weigh nothing for a while.
    await c.var.db.update(users).set({ rateLimitedAt: Date.now() }).where(eq(users.id, user.id))
  }
  throw new RateLimited('rate_limited', MESSAGES[action], RATE_LIMIT_PERIOD_SECONDS)
})

// Request body limits per route (413 beyond). API bodies are small JSON; the
// transcoder's report lists every moderation frame with its scores. Uploads
// go to /signed/* with their own declared sizes, not through here; profile pictures are
// the only API bodies that are files.
export const BODY_LIMITS: { path: RegExp; bytes: number }[] = [
  { path: /^\/api\/internal\//, bytes: 1024 * 1024 },
  // A profile picture or banner is the body itself (profile-images/images.ts).
  { path: /^\/api\/me\/(avatar|banner)$/, bytes: 4 * 1024 * 1024 },
  { path: /^\/api\//, bytes: 64 * 1024 },
]

export const bodyLimits = createMiddleware<AppEnv>(async (c, next) => {
  const rule = BODY_LIMITS.find((r) => r.path.test(c.req.path))
  if (!rule || c.req.method === 'GET' || c.req.method === 'HEAD') return next()
  return bodyLimit({
    maxSize: rule.bytes,
    onError: () => {
      throw new ApiError(
        413,
        'too_large',
        `Request bodies here are at most ${rule.bytes / 1024} KB`,
      )
    },
  })(c, next)
})
