import { z } from 'zod'
import { VISIBILITIES } from '../../db/schema'
import { categoryList, tagList } from '../videos/schema'
import { ACCEPTED_NAMES, ACCEPTED_TYPES, MAX_UPLOAD_BYTES, megabytes } from './limits'

export const uploadInput = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'A title is required')
    .max(100, 'Titles have at most 100 characters'),
  description: z.string().max(2000, 'Descriptions have at most 2000 characters').default(''),
  categories: categoryList.default([]),
  tags: tagList.default([]),
  visibility: z.enum(VISIBILITIES).default('public'),
  fileName: z.string().trim().min(1).max(255),
  sizeBytes: z
    .number()
    .int()
    .positive('The file is empty')
    .max(MAX_UPLOAD_BYTES, `Videos can be at most ${megabytes(MAX_UPLOAD_BYTES)}`),
  contentType: z
    .string()
    .refine((t) => ACCEPTED_TYPES.includes(t), `We accept ${ACCEPTED_NAMES} files`),
})
