export declare function startPlatform(opts: {
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
  transcoderPid: number | null
  adminUrl: string | null
}>
export declare function stopServices(): void
