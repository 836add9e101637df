import type { Browser, Page, Route } from 'playwright-core'

export declare const PHONE: { width: number; height: number }
export declare const DESKTOP: { width: number; height: number }
export declare function shotsDir(appDir: string): string
export declare function step(message: string): void
export declare function accountRecord<T extends { id: string; username: string }>(
  fields: T,
): T & Record<string, unknown>
export declare function answerJson(
  origin?: string,
): (route: Route, body: unknown, status?: number) => Promise<void>
export declare function shootBoth(
  page: Page,
  dir: string,
  name: string,
  options?: {
    fullPage?: boolean
    before?: (page: Page, size: 'phone' | 'desktop') => Promise<unknown>
    after?: (
      page: Page,
      size: 'phone' | 'desktop',
      viewport: { width: number; height: number },
    ) => Promise<unknown>
    settleMs?: number
    end?: { width: number; height: number }
  },
): Promise<void>
export type ShotsContext = { browser: Browser; base: string; dir: string }
export declare function runShots(
  options: {
    appDir: string
    port: number
    env?: Record<string, string>
    server?: Record<string, unknown>
  },
  body: (context: ShotsContext) => Promise<void>,
): Promise<void>
