export declare const ROOT: string
export declare function stopServices(): void
export declare function recentServiceOutput(): string
export declare function run(cmd: string, args: string[], opts?: Record<string, unknown>): unknown
export declare function startService(
  name: string,
  cmd: string,
  args: string[],
  opts?: { quiet?: boolean; env?: Record<string, string>; show?: (line: string) => boolean },
): import('node:child_process').ChildProcess
export declare function waitFor(
  url: string,
  options?: { timeoutMs?: number; what?: string },
): Promise<void>
export declare function ffmpegPath(): string
export declare function makeTestClip(
  out: string,
  options?: {
    pattern?: string
    size?: string
    rate?: number
    seconds?: number
    tone?: number | null
    preset?: string
  },
): string
export declare const chromiumLaunchOptions: {
  executablePath: string
  headless: boolean
  args: string[]
}
