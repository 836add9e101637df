// Runs in Node before the workerd test pool starts: the Gemini stand-in
// server the Worker's real Gemini client talks to in tests. An ephemeral port,
// so parallel runs never collide; tests read its URL with inject().
import { startGeminiStandIn } from './gemini-standin.mjs'

export default async function setup(project) {
  const server = await startGeminiStandIn(0)
  const address = server.address()
  project.provide('geminiStandInUrl', `http://127.0.0.1:${address.port}`)
  return () => new Promise((resolve) => server.close(() => resolve(undefined)))
}
