import type { FailureKind } from './uploadMachine'

export type PartOutcome = { ok: true } | { ok: false; kind: FailureKind; message: string }

export type PartTransfer = { result: Promise<PartOutcome>; abort: () => void }

export type SendPart = (
  url: string,
  bytes: Blob,
  onProgress: (loaded: number) => void,
) => PartTransfer

function messageFrom(xhr: XMLHttpRequest): string {
  try {
    const body: unknown = JSON.parse(xhr.responseText)
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const error = body.error
      if (typeof error === 'object' && error !== null && 'message' in error) {
        return String(error.message)
      }
    }
  } catch {
    // Not our JSON error shape; fall back to the status.
  }
  return `The upload server answered ${xhr.status}`
}

// XMLHttpRequest, because fetch cannot report upload progress. The signed URL
// is the credential, so no cookie is sent.
export const sendPartWithXhr: SendPart = (url, bytes, onProgress) => {
  const xhr = new XMLHttpRequest()
  const result = new Promise<PartOutcome>((resolve) => {
    xhr.open('PUT', url)
    xhr.upload.onprogress = (e) => onProgress(e.loaded)
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true })
      // The signature expired (or was refused): a fresh plan has new URLs.
      else if (xhr.status === 403)
        resolve({ ok: false, kind: 'expired', message: messageFrom(xhr) })
      else if (xhr.status >= 500 || xhr.status === 408 || xhr.status === 429) {
        resolve({ ok: false, kind: 'server', message: messageFrom(xhr) })
      } else resolve({ ok: false, kind: 'rejected', message: messageFrom(xhr) })
    }
    xhr.onerror = () =>
      resolve({ ok: false, kind: 'network', message: 'The connection dropped while uploading' })
    xhr.ontimeout = xhr.onerror
    xhr.send(bytes)
  })
  return { result, abort: () => xhr.abort() }
}
