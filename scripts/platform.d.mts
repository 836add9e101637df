export declare function startTranscoder(opts?: { port?: number; quiet?: boolean }): { pid?: number }
export declare function startPlatform(opts?: {
  workerPort?: number
  transcoderPort?: number
  adminPort?: number
  persistTo?: string
  admin?: boolean
  quiet?: boolean
  vars?: Record<string, string>
}): Promise<{
  workerUrl: string
  transcoderUrl: string | null
  adminUrl: string | null
  transcoderPid: number | null
}>
