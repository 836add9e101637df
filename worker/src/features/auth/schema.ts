import { z } from 'zod'

export const username = z
  .string()
  .trim()
  .min(3, 'Usernames have at least 3 characters')
  .max(30, 'Usernames have at most 30 characters')
  .regex(/^[a-zA-Z0-9_.]+$/, 'Use letters, digits, underscores and dots only')
  .transform((s) => s.toLowerCase())

export const registerInput = z.object({
  username,
  email: z
    .email('Enter a valid email address')
    .max(254)
    .transform((s) => s.toLowerCase()),
  password: z
    .string()
    .min(8, 'Passwords have at least 8 characters')
    .max(200, 'Passwords have at most 200 characters'),
  interests: z.array(z.string().max(64)).max(20).default([]),
})

export const loginInput = z.object({
  email: z
    .string()
    .trim()
    .max(254)
    .transform((s) => s.toLowerCase()),
  password: z.string().max(200),
})
