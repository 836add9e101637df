import { describe, expect, it } from 'vitest'
import headersFile from '../../web/public/_headers?raw'

// Static assets are served before the Worker runs; their headers come from
// web/public/_headers (copied into web/dist by Vite).
describe('viewer app security headers', () => {
  const header = (name: string) =>
    headersFile
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim() ?? ''

  it('CSP without inline scripts, no framing, nosniff, for every path', () => {
    expect(headersFile).toMatch(/^\/\*$/m)
    const csp = header('Content-Security-Policy')
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? ''
    expect(scriptSrc).toBe("'self'")
    expect(csp).toMatch(/frame-ancestors 'none'/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(header('X-Frame-Options')).toBe('DENY')
    expect(header('X-Content-Type-Options')).toBe('nosniff')
  })
})
