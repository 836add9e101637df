// Starts a private copy of the platform (own ports, own state folder) for the
// end-to-end tests and stops it afterwards.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopServices } from '../../scripts/lib.mjs'
import { startPlatform } from '../../scripts/platform.mjs'

export default async function setup(project) {
  // Never leave a platform behind, even when the run is interrupted.
  process.on('exit', stopServices)
  const state = mkdtempSync(join(tmpdir(), 'clipstream-e2e-'))
  const urls = await startPlatform({
    workerPort: 8790,
    transcoderPort: 8791,
    adminPort: 5175,
    persistTo: state,
    admin: process.env.E2E_ADMIN === '1',
    quiet: process.env.E2E_VERBOSE !== '1',
    // Short enough for the kill-and-restart test to finish in seconds.
    vars: { TRANSCODE_SILENCE_SECONDS: '3' },
  })
  project.provide('workerUrl', urls.workerUrl)
  project.provide('transcoderUrl', urls.transcoderUrl ?? '')
  project.provide('adminUrl', urls.adminUrl ?? '')
  project.provide('statePath', state)
  project.provide('transcoderPid', urls.transcoderPid ?? 0)
  return () => {
    stopServices()
    rmSync(state, { recursive: true, force: true })
  }
}
