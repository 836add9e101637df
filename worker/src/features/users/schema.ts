import { z } from 'zod'

// Only http(s) links: a `javascript:` URL in a profile would be an XSS vector.
const link = z
  .url({ protocol: /^https?$/, message: 'Use a link that starts with http:// or https://' })
  .max(500)

export const profileInput = z
  .object({
    displayName: z.string().trim().max(50),
    bio: z.string().max(500),
    // Pictures are uploaded (PUT /api/me/avatar|banner); links to other hosts are refused,
    // since every viewer's browser would call them. null removes the picture.
    avatarUrl: z.null({ message: 'Upload a picture instead of linking to one' }),
    bannerUrl: z.null({ message: 'Upload a picture instead of linking to one' }),
    website: link.nullable(),
    location: z.string().trim().max(80).nullable(),
  })
  .partial()
  .strict()

export const interestsInput = z.object({ interests: z.array(z.string().max(64)).max(20) })
