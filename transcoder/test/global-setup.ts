// Generates the tiny real media every transcoder test uses, once per run, into a temp directory.
import type { TestProject } from 'vitest/node'
import { createMediaFixtures } from './media'

declare module 'vitest' {
  export interface ProvidedContext {
    mediaDir: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fixtures = await createMediaFixtures()
  project.provide('mediaDir', fixtures.dir)
  return fixtures.remove
}
