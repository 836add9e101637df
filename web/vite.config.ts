import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const api = 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // hls.js alone is ~580 kB minified; it is the lazy chunk, not the first route.
    chunkSizeWarningLimit: 600,
    // hls.js is reached only through a dynamic import, so it lands in its own
    // chunk and is never downloaded by browsers that play HLS natively.
    modulePreload: { resolveDependencies: (_file, deps) => deps.filter((d) => !d.includes('hls')) },
  },
  server: {
    port: 5173,
    proxy: { '/api': api, '/media': api },
  },
})
