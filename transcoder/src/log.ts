// One JSON object per line on stdout, so container logs can be filtered by field.
export type LogFields = Record<string, unknown>

export interface Logger {
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

function write(level: string, event: string, fields: LogFields | undefined): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields })
  process.stdout.write(`${line}\n`)
}

export const jsonLogger: Logger = {
  info: (event, fields) => write('info', event, fields),
  warn: (event, fields) => write('warn', event, fields),
  error: (event, fields) => write('error', event, fields),
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
