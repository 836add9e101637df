// The few protobuf wire-format pieces the ONNX export needs: varints, length-delimited fields and
// little-endian floats, plus a reader for the test that reads initializers back. Pure TypeScript.

const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_BYTES = 2
const WIRE_FIXED32 = 5

export class ProtoWriter {
  private chunks: Uint8Array[] = []
  private length = 0

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes)
    this.length += bytes.length
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value))
    const out: number[] = []
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    out.push(Number(v))
    this.push(Uint8Array.from(out))
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire)
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT)
    this.varint(value)
    return this
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32)
    const bytes = new Uint8Array(4)
    new DataView(bytes.buffer).setFloat32(0, value, true)
    this.push(bytes)
    return this
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_BYTES)
    this.varint(value.length)
    this.push(value)
    return this
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter()
    build(inner)
    return this.bytes(field, inner.finish())
  }

  /** Packed repeated varints (proto3 default for repeated scalars). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter()
    for (const v of values) inner.varint(v)
    return this.bytes(field, inner.finish())
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length)
    let offset = 0
    for (const chunk of this.chunks) {
      out.set(chunk, offset)
      offset += chunk.length
    }
    return out
  }
}

export interface ProtoField {
  field: number
  /** Varint value (as bigint), or undefined for length-delimited fields. */
  int?: bigint
  bytes?: Uint8Array
}

/** Reads one message level: every field in order. Nested messages are read by calling again. */
export function readFields(buffer: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = []
  let pos = 0
  const varint = (): bigint => {
    let result = 0n
    let shift = 0n
    for (;;) {
      const byte = buffer[pos++]
      if (byte === undefined) throw new Error('truncated varint')
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return result
      shift += 7n
    }
  }
  while (pos < buffer.length) {
    const key = Number(varint())
    const field = key >>> 3
    const wire = key & 7
    if (wire === WIRE_VARINT) fields.push({ field, int: varint() })
    else if (wire === WIRE_BYTES) {
      const len = Number(varint())
      fields.push({ field, bytes: buffer.subarray(pos, pos + len) })
      pos += len
    } else if (wire === WIRE_FIXED32) {
      fields.push({ field, bytes: buffer.subarray(pos, pos + 4) })
      pos += 4
    } else if (wire === WIRE_FIXED64) {
      fields.push({ field, bytes: buffer.subarray(pos, pos + 8) })
      pos += 8
    } else throw new Error(`unsupported wire type ${wire}`)
  }
  return fields
}
