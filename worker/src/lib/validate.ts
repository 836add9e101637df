import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import { ApiError } from './errors'

// zValidator with our error shape: the first problem in words, all of them in details.
export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: i.message,
      }))
      const first = issues[0]
      const message = first
        ? `${first.path ? `${first.path}: ` : ''}${first.message}`
        : 'Invalid input'
      throw new ApiError(400, 'invalid_input', message, issues)
    }
  })
