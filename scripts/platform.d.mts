export declare function startTranscoder(opts?: { port?: number; quiet?: boolean }): { pid?: number }
