import { z } from 'zod'

export const commentInput = z.object({
  body: z
    .string()
    .trim()
    .min(1, 'Write something first')
    .max(1000, 'Comments have at most 1000 characters'),
  parentId: z.string().max(64).optional(),
})
