import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The dashboard is its own origin (Pages in production, port 5174 locally)
// and calls the API cross-origin with the session cookie. scripts/platform.mjs
// passes the Worker's URL as CLIPSTREAM_API; VITE_API_URL wins when set.
const apiUrl = process.env.VITE_API_URL ?? process.env.CLIPSTREAM_API ?? 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [react()],
  define: { 'import.meta.env.VITE_API_URL': JSON.stringify(apiUrl) },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // recharts and hls.js are the big pieces; hls.js is loaded lazily.
    chunkSizeWarningLimit: 700,
    modulePreload: { resolveDependencies: (_file, deps) => deps.filter((d) => !d.includes('hls')) },
  },
  server: { port: 5174, host: '127.0.0.1' },
})
