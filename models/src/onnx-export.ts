// Writes the classifier as an ONNX model by hand (ir_version 8, opset 13), field numbers from
// onnx/onnx.proto. Graph: scores = derived(Sigmoid(features @ W + B)), where the derived columns
// are S3 = S * features[:, minor] and H2 = min(H, V), exactly as linear.ts computes them.
import { labelIndex, LABELS } from './labels'
import type { LinearModel } from './linear'
import { ProtoWriter, readFields } from './protobuf'

export const INPUT_NAME = 'features'
export const OUTPUT_NAME = 'scores'
const OPSET = 13
const IR_VERSION = 8
const FLOAT = 1
const INT64 = 7

interface Tensor {
  name: string
  dims: number[]
  type: typeof FLOAT | typeof INT64
  floats?: ArrayLike<number>
  ints?: readonly number[]
}

function tensorBytes(t: Tensor): Uint8Array {
  const w = new ProtoWriter()
  w.packedInts(1, t.dims)
  w.int(2, t.type)
  w.string(8, t.name)
  if (t.type === FLOAT && t.floats !== undefined) {
    const raw = new Uint8Array(t.floats.length * 4)
    const view = new DataView(raw.buffer)
    for (let i = 0; i < t.floats.length; i++) view.setFloat32(i * 4, t.floats[i] ?? 0, true)
    w.bytes(9, raw)
  } else if (t.type === INT64 && t.ints !== undefined) {
    const raw = new Uint8Array(t.ints.length * 8)
    const view = new DataView(raw.buffer)
    t.ints.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true))
    w.bytes(9, raw)
  }
  return w.finish()
}

function valueInfo(w: ProtoWriter, field: number, name: string, dims: (number | string)[]): void {
  w.message(field, (vi) => {
    vi.string(1, name)
    vi.message(2, (type) =>
      type.message(1, (tensor) => {
        tensor.int(1, FLOAT)
        tensor.message(2, (shape) => {
          for (const d of dims) {
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)))
          }
        })
      }),
    )
  })
}

function node(w: ProtoWriter, op: string, inputs: string[], output: string): void {
  w.message(1, (n) => {
    for (const i of inputs) n.string(1, i)
    n.string(2, output)
    n.string(3, output)
    n.string(4, op)
  })
}

export interface ExportMeta {
  version: string
  docString: string
}

export function exportOnnx(model: LinearModel, meta: ExportMeta): Uint8Array {
  const k = LABELS.length
  const d = model.featureLength
  const oneHot = (index: number): number[] => LABELS.map((_, i) => (i === index ? 1 : 0))
  const s3 = labelIndex('S3')
  const h2 = labelIndex('H2')
  const column = (name: string, index: number): Tensor[] => [
    { name: `${name}_start`, dims: [1], type: INT64, ints: [index] },
    { name: `${name}_end`, dims: [1], type: INT64, ints: [index + 1] },
  ]
  const initializers: Tensor[] = [
    { name: 'W', dims: [d, k], type: FLOAT, floats: model.weights },
    { name: 'B', dims: [k], type: FLOAT, floats: model.bias },
    {
      name: 'keep_mask',
      dims: [k],
      type: FLOAT,
      floats: LABELS.map((_, i) => (i === s3 || i === h2 ? 0 : 1)),
    },
    { name: 's3_one_hot', dims: [k], type: FLOAT, floats: oneHot(s3) },
    { name: 'h2_one_hot', dims: [k], type: FLOAT, floats: oneHot(h2) },
    { name: 'axis_1', dims: [1], type: INT64, ints: [1] },
    ...column('s', labelIndex('S')),
    ...column('h', labelIndex('H')),
    ...column('v', labelIndex('V')),
    ...column('minor', model.minorFeature),
  ]
  const slice = (data: string, name: string): string[] => [
    data,
    `${name}_start`,
    `${name}_end`,
    'axis_1',
  ]

  const graph = new ProtoWriter()
  node(graph, 'MatMul', [INPUT_NAME, 'W'], 'matmul')
  node(graph, 'Add', ['matmul', 'B'], 'logits')
  node(graph, 'Sigmoid', ['logits'], 'probs')
  node(graph, 'Slice', slice('probs', 's'), 'p_s')
  node(graph, 'Slice', slice(INPUT_NAME, 'minor'), 'minor')
  node(graph, 'Mul', ['p_s', 'minor'], 'p_s3')
  node(graph, 'Slice', slice('probs', 'h'), 'p_h')
  node(graph, 'Slice', slice('probs', 'v'), 'p_v')
  node(graph, 'Min', ['p_h', 'p_v'], 'p_h2')
  node(graph, 'Mul', ['probs', 'keep_mask'], 'kept')
  node(graph, 'Mul', ['p_s3', 's3_one_hot'], 's3_wide')
  node(graph, 'Mul', ['p_h2', 'h2_one_hot'], 'h2_wide')
  node(graph, 'Add', ['kept', 's3_wide'], 'with_s3')
  node(graph, 'Add', ['with_s3', 'h2_wide'], OUTPUT_NAME)
  graph.string(2, 'comment_classifier')
  for (const t of initializers) graph.bytes(5, tensorBytes(t))
  graph.string(10, `Independent sigmoid per label, columns ${LABELS.join(',')}`)
  valueInfo(graph, 11, INPUT_NAME, ['N', d])
  valueInfo(graph, 12, OUTPUT_NAME, ['N', k])

  const model_ = new ProtoWriter()
  model_.int(1, IR_VERSION)
  model_.message(8, (opset) => opset.string(1, '').int(2, OPSET))
  model_.string(2, 'clipstream-models')
  model_.string(3, meta.version)
  model_.string(6, meta.docString)
  model_.bytes(7, graph.finish())
  model_.message(14, (entry) => entry.string(1, 'labels').string(2, LABELS.join(',')))
  return model_.finish()
}

export interface FloatInitializer {
  dims: number[]
  data: Float32Array
}

/** Reads float initializers back from an ONNX file (used by tests to avoid retraining). */
export function readFloatInitializers(onnx: Uint8Array): Map<string, FloatInitializer> {
  const out = new Map<string, FloatInitializer>()
  const graph = readFields(onnx).find((f) => f.field === 7)?.bytes
  if (graph === undefined) throw new Error('no graph in model')
  for (const init of readFields(graph).filter((f) => f.field === 5)) {
    if (init.bytes === undefined) continue
    const fields = readFields(init.bytes)
    const type = Number(fields.find((f) => f.field === 2)?.int ?? 0)
    if (type !== FLOAT) continue
    const name = new TextDecoder().decode(fields.find((f) => f.field === 8)?.bytes)
    const dimsField = fields.find((f) => f.field === 1)?.bytes ?? new Uint8Array()
    const dims = readPackedVarints(dimsField)
    const raw = fields.find((f) => f.field === 9)?.bytes ?? new Uint8Array()
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
    const data = new Float32Array(raw.byteLength / 4)
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true)
    out.set(name, { dims, data })
  }
  return out
}

function readPackedVarints(bytes: Uint8Array): number[] {
  const out: number[] = []
  let value = 0
  let shift = 0
  for (const byte of bytes) {
    value += (byte & 0x7f) * 2 ** shift
    if ((byte & 0x80) === 0) {
      out.push(value)
      value = 0
      shift = 0
    } else shift += 7
  }
  return out
}
