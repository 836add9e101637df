// This program type-checks the Worker's source because AppType is read from it.
// workerd's WebCrypto takes any byte view (its BufferSource is ArrayBufferView |
// ArrayBuffer); TypeScript's DOM library asks for views over a plain
// ArrayBuffer. These overloads let the Worker's crypto code check under the DOM
// library as it does under workerd's types. The app itself never calls them.
type WorkerBytes = ArrayBufferView | ArrayBuffer

interface SubtleCrypto {
  deriveBits(
    algorithm: { name: 'PBKDF2'; hash: string; salt: WorkerBytes; iterations: number },
    baseKey: CryptoKey,
    length: number,
  ): Promise<ArrayBuffer>
  digest(algorithm: AlgorithmIdentifier, data: WorkerBytes): Promise<ArrayBuffer>
  importKey(
    format: 'raw' | 'pkcs8' | 'spki',
    keyData: WorkerBytes,
    algorithm: AlgorithmIdentifier | HmacImportParams,
    extractable: boolean,
    keyUsages: KeyUsage[],
  ): Promise<CryptoKey>
  sign(algorithm: AlgorithmIdentifier, key: CryptoKey, data: WorkerBytes): Promise<ArrayBuffer>
  verify(
    algorithm: AlgorithmIdentifier,
    key: CryptoKey,
    signature: WorkerBytes,
    data: WorkerBytes,
  ): Promise<boolean>
}
