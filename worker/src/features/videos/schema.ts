import { z } from 'zod'
import { VISIBILITIES } from '../../db/schema'

export const tagList = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[\p{L}\p{N}_-]{1,30}$/u, 'Tags are 1-30 letters, digits, - or _'),
  )
  .max(10, 'At most 10 tags')

export const categoryList = z.array(z.string().max(64)).max(3, 'At most 3 categories')

export const videoEditInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'A title is required')
      .max(100, 'Titles have at most 100 characters'),
    description: z.string().max(2000, 'Descriptions have at most 2000 characters'),
    categories: categoryList,
    tags: tagList,
    visibility: z.enum(VISIBILITIES),
  })
  .partial()
  .strict()

export const watchInput = z.object({
  fraction: z.number().min(0).max(1),
  // Seconds watched since the previous report for this clip.
  seconds: z.number().min(0).max(3600),
})
