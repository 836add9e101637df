import { z } from 'zod'
import { APPEAL_SUBJECTS } from '../../db/schema'
import { CATEGORIES } from '../admin/signals'

export const APPEAL_MESSAGE_MAX = 1000

export const appealInput = z
  .object({
    subjectType: z.enum(APPEAL_SUBJECTS),
    subjectId: z.string().min(1).max(64),
    message: z
      .string()
      .trim()
      .min(10, 'Say in a few words why the decision is wrong (at least 10 characters)')
      .max(APPEAL_MESSAGE_MAX, `Appeals have at most ${APPEAL_MESSAGE_MAX} characters`),
  })
  .strict()

export const myAppealsQuery = z.object({
  subjectType: z.enum(APPEAL_SUBJECTS).optional(),
  subjectId: z.string().min(1).max(64).optional(),
})

export const appealAnswerInput = z
  .object({
    outcome: z.enum(['overturn', 'uphold']),
    reason: z
      .string()
      .trim()
      .min(3, 'Give the creator a reason (at least 3 characters)')
      .max(500, 'Reasons have at most 500 characters'),
    // The policy category the upheld removal is about, as the moderator judges it (issue 14),
    // recorded on the decision's event. Like a queue decision, only the answer that keeps the
    // subject down (uphold, the queues' reject) names one.
    category: z.enum(CATEGORIES).optional(),
  })
  .strict()
  .refine((input) => input.category === undefined || input.outcome === 'uphold', {
    message: 'A category is given only with uphold',
    path: ['category'],
  })
