// Writes the classifier as an ONNX model by hand (ir_version 8, opset 13), field numbers from
// onnx/onnx.proto. Graph (model.ts computes the same):
//   linear = features[:, :D] @ (int8 W * column scales) + B
//   ids    = int64(features[:, D:D+T]); E = (int8 table * row scales)[ids]      (id 0 = zero row)
//   pooled = [sum(E) / max(1, #ids > 0), Relu(max(E))]; h = Relu(pooled @ W1 + b1)
//   probs  = Sigmoid(linear + h @ W2); scores = probs with S3 = S * features[:, minor]
// The int8 -> float products depend only on initializers, so onnxruntime folds them at load.
import { labelIndex, LABELS } from './labels'
import type { HybridModel } from './model'
import { ProtoWriter, readFields } from './protobuf'

export const INPUT_NAME = 'features'
export const OUTPUT_NAME = 'scores'
const OPSET = 13
const IR_VERSION = 8
const FLOAT = 1
const INT8 = 3
const INT64 = 7
const ATTR_INT = 2
const ATTR_INTS = 7

interface Tensor {
  name: string
  dims: number[]
  type: typeof FLOAT | typeof INT64 | typeof INT8
  floats?: ArrayLike<number>
  ints?: readonly number[]
  int8?: Int8Array
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
  } else if (t.type === INT8 && t.int8 !== undefined) {
    w.bytes(9, new Uint8Array(t.int8.buffer, t.int8.byteOffset, t.int8.byteLength))
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

type Attribute = { name: string; int: number } | { name: string; ints: number[] }

function node(
  w: ProtoWriter,
  op: string,
  inputs: string[],
  output: string,
  attributes: Attribute[] = [],
): void {
  w.message(1, (n) => {
    for (const i of inputs) n.string(1, i)
    n.string(2, output)
    n.string(3, output)
    n.string(4, op)
    for (const a of attributes) {
      n.message(5, (attr) => {
        attr.string(1, a.name)
        if ('int' in a) attr.int(3, a.int).int(20, ATTR_INT)
        else {
          for (const v of a.ints) attr.int(8, v)
          attr.int(20, ATTR_INTS)
        }
      })
    }
  })
}

export interface ExportMeta {
  version: string
  docString: string
}

export function exportOnnx(model: HybridModel, meta: ExportMeta): Uint8Array {
  const k = LABELS.length
  const d = model.linearLength
  const s3 = labelIndex('S3')
  const oneHot = (index: number): number[] => LABELS.map((_, i) => (i === index ? 1 : 0))
  const range = (name: string, start: number, end: number): Tensor[] => [
    { name: `${name}_start`, dims: [1], type: INT64, ints: [start] },
    { name: `${name}_end`, dims: [1], type: INT64, ints: [end] },
  ]
  const initializers: Tensor[] = [
    { name: 'W_q', dims: [d, k], type: INT8, int8: model.weights },
    { name: 'W_scale', dims: [k], type: FLOAT, floats: model.weightScales },
    { name: 'B', dims: [k], type: FLOAT, floats: model.bias },
    {
      name: 'keep_mask',
      dims: [k],
      type: FLOAT,
      floats: LABELS.map((_, i) => (i === s3 ? 0 : 1)),
    },
    { name: 's3_one_hot', dims: [k], type: FLOAT, floats: oneHot(s3) },
    { name: 'axis_1', dims: [1], type: INT64, ints: [1] },
    ...range('lin', 0, d),
    ...range('s', labelIndex('S'), labelIndex('S') + 1),
    ...range('minor', model.minorFeature, model.minorFeature + 1),
  ]
  const slice = (data: string, name: string): string[] => [
    data,
    `${name}_start`,
    `${name}_end`,
    'axis_1',
  ]

  const graph = new ProtoWriter()
  node(graph, 'Slice', slice(INPUT_NAME, 'lin'), 'x_lin')
  node(graph, 'Cast', ['W_q'], 'W_cast', [{ name: 'to', int: FLOAT }])
  node(graph, 'Mul', ['W_cast', 'W_scale'], 'W')
  node(graph, 'MatMul', ['x_lin', 'W'], 'linear')
  node(graph, 'Add', ['linear', 'B'], 'linear_b')
  let logits = 'linear_b'
  const { embedding, mlp } = model
  if (embedding !== null && mlp !== null && model.tokenSlots > 0) {
    const t = model.tokenSlots
    initializers.push(
      ...range('tok', d, d + t),
      { name: 'T_q', dims: [embedding.rows, embedding.dims], type: INT8, int8: embedding.table },
      { name: 'T_scale', dims: [embedding.rows, 1], type: FLOAT, floats: embedding.scales },
      { name: 'zero', dims: [1], type: FLOAT, floats: [0] },
      { name: 'one', dims: [1], type: FLOAT, floats: [1] },
      { name: 'W1', dims: [2 * embedding.dims, mlp.hidden], type: FLOAT, floats: mlp.w1 },
      { name: 'b1', dims: [mlp.hidden], type: FLOAT, floats: mlp.b1 },
      { name: 'W2', dims: [mlp.hidden, k], type: FLOAT, floats: mlp.w2 },
    )
    node(graph, 'Slice', slice(INPUT_NAME, 'tok'), 'ids_f')
    node(graph, 'Cast', ['ids_f'], 'ids', [{ name: 'to', int: INT64 }])
    node(graph, 'Cast', ['T_q'], 'T_cast', [{ name: 'to', int: FLOAT }])
    node(graph, 'Mul', ['T_cast', 'T_scale'], 'table')
    node(graph, 'Gather', ['table', 'ids'], 'emb', [{ name: 'axis', int: 0 }])
    node(graph, 'Greater', ['ids_f', 'zero'], 'present')
    node(graph, 'Cast', ['present'], 'present_f', [{ name: 'to', int: FLOAT }])
    node(graph, 'ReduceSum', ['present_f', 'axis_1'], 'count', [{ name: 'keepdims', int: 1 }])
    node(graph, 'Max', ['count', 'one'], 'count_1')
    node(graph, 'ReduceSum', ['emb', 'axis_1'], 'emb_sum', [{ name: 'keepdims', int: 0 }])
    node(graph, 'Div', ['emb_sum', 'count_1'], 'emb_mean')
    node(graph, 'ReduceMax', ['emb'], 'emb_max_raw', [
      { name: 'axes', ints: [1] },
      { name: 'keepdims', int: 0 },
    ])
    node(graph, 'Relu', ['emb_max_raw'], 'emb_max')
    node(graph, 'Concat', ['emb_mean', 'emb_max'], 'pooled', [{ name: 'axis', int: 1 }])
    node(graph, 'MatMul', ['pooled', 'W1'], 'h_mm')
    node(graph, 'Add', ['h_mm', 'b1'], 'h_pre')
    node(graph, 'Relu', ['h_pre'], 'h')
    node(graph, 'MatMul', ['h', 'W2'], 'mlp_logits')
    node(graph, 'Add', ['linear_b', 'mlp_logits'], 'logits')
    logits = 'logits'
  }
  node(graph, 'Sigmoid', [logits], 'probs')
  node(graph, 'Slice', slice('probs', 's'), 'p_s')
  node(graph, 'Slice', slice(INPUT_NAME, 'minor'), 'minor')
  node(graph, 'Mul', ['p_s', 'minor'], 'p_s3')
  node(graph, 'Mul', ['probs', 'keep_mask'], 'kept')
  node(graph, 'Mul', ['p_s3', 's3_one_hot'], 's3_wide')
  node(graph, 'Add', ['kept', 's3_wide'], OUTPUT_NAME)
  graph.string(2, 'comment_classifier')
  for (const t of initializers) graph.bytes(5, tensorBytes(t))
  graph.string(10, `Independent sigmoid per label, columns ${LABELS.join(',')}`)
  valueInfo(graph, 11, INPUT_NAME, [
    'N',
    d + (embedding !== null && mlp !== null ? model.tokenSlots : 0),
  ])
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

export interface Initializers {
  floats: Map<string, FloatInitializer>
  int8: Map<string, { dims: number[]; data: Int8Array }>
}

/** Reads float and int8 initializers back from an ONNX file (tests rebuild the model from it). */
export function readInitializers(onnx: Uint8Array): Initializers {
  const out: Initializers = { floats: new Map(), int8: new Map() }
  const graph = readFields(onnx).find((f) => f.field === 7)?.bytes
  if (graph === undefined) throw new Error('no graph in model')
  for (const init of readFields(graph).filter((f) => f.field === 5)) {
    if (init.bytes === undefined) continue
    const fields = readFields(init.bytes)
    const type = Number(fields.find((f) => f.field === 2)?.int ?? 0)
    const name = new TextDecoder().decode(fields.find((f) => f.field === 8)?.bytes)
    const dims = readPackedVarints(fields.find((f) => f.field === 1)?.bytes ?? new Uint8Array())
    const raw = fields.find((f) => f.field === 9)?.bytes ?? new Uint8Array()
    if (type === INT8) {
      out.int8.set(name, { dims, data: new Int8Array(raw.slice().buffer) })
    } else if (type === FLOAT) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
      const data = new Float32Array(raw.byteLength / 4)
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(i * 4, true)
      out.floats.set(name, { dims, data })
    }
  }
  return out
}

/** The model as the ONNX file holds it, for the TypeScript forward pass. */
export function readModel(onnx: Uint8Array, minorFeature: number): HybridModel {
  const { floats, int8 } = readInitializers(onnx)
  const f = (name: string): FloatInitializer => {
    const t = floats.get(name)
    if (t === undefined) throw new Error(`initializer ${name} missing`)
    return t
  }
  const w = int8.get('W_q')
  if (w === undefined) throw new Error('initializer W_q missing')
  const table = int8.get('T_q')
  const hasMlp = table !== undefined
  const [rows = 0, dims = 0] = table?.dims ?? []
  const hidden = hasMlp ? (f('b1').dims[0] ?? 0) : 0
  return {
    linearLength: w.dims[0] ?? 0,
    tokenSlots: hasMlp ? readSliceWidth(onnx) : 0,
    weights: w.data,
    weightScales: f('W_scale').data,
    bias: f('B').data,
    minorFeature,
    embedding: hasMlp ? { rows, dims, table: table.data, scales: f('T_scale').data } : null,
    mlp: hasMlp ? { hidden, w1: f('W1').data, b1: f('b1').data, w2: f('W2').data } : null,
  }
}

function readSliceWidth(onnx: Uint8Array): number {
  const graph = readFields(onnx).find((f) => f.field === 7)?.bytes ?? new Uint8Array()
  const ints = new Map<string, number>()
  for (const init of readFields(graph).filter((f) => f.field === 5)) {
    const fields = readFields(init.bytes ?? new Uint8Array())
    if (Number(fields.find((f) => f.field === 2)?.int ?? 0) !== INT64) continue
    const name = new TextDecoder().decode(fields.find((f) => f.field === 8)?.bytes)
    const raw = fields.find((f) => f.field === 9)?.bytes ?? new Uint8Array()
    ints.set(name, Number(new DataView(raw.buffer, raw.byteOffset, 8).getBigInt64(0, true)))
  }
  return (ints.get('tok_end') ?? 0) - (ints.get('tok_start') ?? 0)
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
