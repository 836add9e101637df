import { z } from 'zod'

// Only http(s) links: a `javascript:` URL in a profile would be an XSS vector.
const link = z
  .url({ protocol: /^https?$/, message: 'Use a link that starts with http:// or https://' })
  .max(500)

export const profileInput = z
  .object({
    displayName: z.string().trim().max(50),
    bio: z.string().max(500),
    avatarUrl: link.nullable(),
    bannerUrl: link.nullable(),
    website: link.nullable(),
    location: z.string().trim().max(80).nullable(),
  })
  .partial()
  .strict()

export const interestsInput = z.object({ interests: z.array(z.string().max(64)).max(20) })
