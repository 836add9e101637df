import { z } from 'zod'
import { ROLES, SUBJECT_TYPES } from '../../db/schema'
import { CATEGORIES } from './signals'

export const reasonText = z.string().trim().min(3).max(500)

// Times are epoch milliseconds or anything Date.parse reads (2026-11-22).
const time = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'Not a date or time' })
      return z.NEVER
    }
    return ms
  })

export const historyQuery = z.object({
  subjectType: z.enum(SUBJECT_TYPES).optional(),
  subjectId: z.string().min(1).max(64).optional(),
  actor: z.string().min(1).max(64).optional(),
  decision: z.string().min(1).max(40).optional(),
  category: z.enum([...CATEGORIES, 'OK']).optional(),
  source: z.enum(['machine', 'human']).optional(),
  from: time.optional(),
  to: time.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

export const subjectParam = z.object({
  type: z.enum(SUBJECT_TYPES),
  id: z.string().min(1).max(64),
})

export const resolveReportsInput = z.object({
  subjectType: z.enum(SUBJECT_TYPES),
  subjectId: z.string().min(1).max(64),
  action: z.enum(['dismiss', 'act']),
  reason: reasonText,
})

export const userSearchQuery = z.object({
  q: z.string().trim().max(100).default(''),
})

export const idParam = z.object({ id: z.string().min(1).max(64) })

export const reasonInput = z.object({ reason: reasonText })

export const roleInput = z.object({ role: z.enum(ROLES), reason: reasonText })
