// The shared platform starter, re-exported with types (platform.d.mts) for the
// dashboard's end-to-end test.
export { startPlatform } from '../../scripts/platform.mjs'
export { stopServices } from '../../scripts/lib.mjs'
