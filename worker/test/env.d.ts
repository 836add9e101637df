import type { D1Migration } from 'cloudflare:test'

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[]
    }
  }
}

// Vite's ?raw imports (file contents as a string), used by tests of static files.
declare module '*?raw' {
  const text: string
  export default text
}
