/**
 * Rewrites a float16 ONNX model as float32, losslessly (every float16 value is exactly a float32).
 *
 * Why: the "medium" ISNet model ships with float16 weights. onnxruntime's CPU provider has float16
 * kernels for only a few operators (MaxPool, Concat, Cast), so it wraps the graph in Casts and
 * keeps bouncing tensors between float32 NCHWc convolutions and float16 plain-layout pooling and
 * concatenation: ~110 casts and ~100 layout reorders per run, a tenth of the run's time on a
 * 2-core machine. As float32 the whole graph stays in the blocked layout and the casts vanish.
 * The weights end up as float32 in memory either way (the runtime folds the casts of constant
 * weights when it loads the model), so this costs no memory at run time.
 *
 * The ONNX file is a protobuf message; this walks only the parts that carry element types —
 * tensors (weights and constant attributes), value types (inputs, outputs, value_info) and Cast's
 * `to` — and copies every other byte through unchanged.
 */

// onnx.proto field numbers (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
const MODEL = { graph: 7, functions: 25 } as const;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
const FUNCTION = { node: 7 } as const;
const NODE = { opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, i: 3, t: 5, g: 6, tensors: 10, graphs: 11 } as const;
const TENSOR = { dataType: 2, floatData: 4, int32Data: 5, rawData: 9 } as const;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1, sequenceType: 4, optionalType: 9 } as const;
const TYPE_TENSOR = { elemType: 1 } as const;
const TYPE_SEQUENCE = { elemType: 1 } as const;

const FLOAT = 1;
const FLOAT16 = 10;

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

interface Field {
  no: number;
  wire: number;
  /** The whole field, tag included, as it was read. */
  raw: Uint8Array;
  /** A varint's value. */
  int: number;
  /** A length-delimited field's content. */
  bytes: Uint8Array;
}

function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('onnx: truncated varint');
    const b = buf[pos++]!;
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
}

/** A protobuf varint (also used by super-resolution.model.ts to write a model). */
export function varint(value: number): Uint8Array {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return Uint8Array.from(out);
}

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    pos = afterTag;
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    let int = 0;
    let bytes: Uint8Array = EMPTY;
    if (wire === VARINT) [int, pos] = readVarint(buf, pos);
    else if (wire === FIXED64) pos += 8;
    else if (wire === FIXED32) pos += 4;
    else if (wire === BYTES) {
      const [len, at] = readVarint(buf, pos);
      bytes = buf.subarray(at, at + len);
      pos = at + len;
    } else throw new Error(`onnx: unsupported wire type ${wire}`);
    if (pos > buf.length) throw new Error('onnx: truncated field');
    out.push({ no, wire, raw: buf.subarray(start, pos), int, bytes });
  }
  return out;
}

const EMPTY = new Uint8Array(0);
export const bytesField = (no: number, content: Uint8Array[]): Uint8Array[] => {
  const len = content.reduce((n, c) => n + c.length, 0);
  return [varint(no * 8 + BYTES), varint(len), ...content];
};
export const varintField = (no: number, value: number): Uint8Array[] => [varint(no * 8 + VARINT), varint(value)];

/** Rewrites one message: fields with a rule get new content, the rest are copied as they were. */
function message(buf: Uint8Array, rules: Record<number, (f: Field) => Uint8Array[]>): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of fields(buf)) {
    const rule = rules[f.no];
    out.push(...(rule ? rule(f) : [f.raw]));
  }
  return out;
}

const sub = (rewrite: (b: Uint8Array) => Uint8Array[]) => (f: Field) => (f.wire === BYTES ? bytesField(f.no, rewrite(f.bytes)) : [f.raw]);

// float16 bits → float32, for every one of the 65 536 patterns.
let halfTable: Float32Array | null = null;
function halfToFloat(): Float32Array {
  if (halfTable) return halfTable;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    table[h] = exp === 0 ? sign * frac * 2 ** -24 : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return (halfTable = table);
}

function widenTensor(buf: Uint8Array): Uint8Array[] {
  const fs = fields(buf);
  if (!fs.some((f) => f.no === TENSOR.dataType && f.int === FLOAT16)) return [buf];
  const table = halfToFloat();
  const out: Uint8Array[] = [];
  for (const f of fs) {
    if (f.no === TENSOR.dataType) out.push(...varintField(TENSOR.dataType, FLOAT));
    else if (f.no === TENSOR.rawData) {
      // Little-endian float16 in, little-endian float32 out.
      const n = f.bytes.length >> 1;
      const wide = new Float32Array(n);
      const view = new DataView(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
      for (let i = 0; i < n; i++) wide[i] = table[view.getUint16(i * 2, true)]!;
      out.push(...bytesField(TENSOR.rawData, [new Uint8Array(wide.buffer)]));
    } else if (f.no === TENSOR.int32Data) {
      // Without raw_data, float16 values sit one per int32_data entry (packed varints, or one per field).
      const halves: number[] = [];
      if (f.wire === BYTES) for (let p = 0; p < f.bytes.length; ) [halves[halves.length], p] = readVarint(f.bytes, p);
      else halves.push(f.int);
      const wide = Float32Array.from(halves, (h) => table[h & 0xffff]!);
      out.push(...bytesField(TENSOR.floatData, [new Uint8Array(wide.buffer)]));
    } else out.push(f.raw);
  }
  return out;
}

const widenElemType = (f: Field): Uint8Array[] => (f.wire === VARINT && f.int === FLOAT16 ? varintField(f.no, FLOAT) : [f.raw]);

function widenType(buf: Uint8Array): Uint8Array[] {
  return message(buf, {
    [TYPE.tensorType]: sub((b) => message(b, { [TYPE_TENSOR.elemType]: widenElemType })),
    [TYPE.sequenceType]: sub((b) => message(b, { [TYPE_SEQUENCE.elemType]: sub(widenType) })),
    [TYPE.optionalType]: sub((b) => message(b, { [TYPE_SEQUENCE.elemType]: sub(widenType) })),
  });
}

const widenValueInfo = (buf: Uint8Array): Uint8Array[] => message(buf, { [VALUE_INFO.type]: sub(widenType) });

function widenAttribute(buf: Uint8Array, opType: string): Uint8Array[] {
  const fs = fields(buf);
  const name = new TextDecoder().decode(fs.find((f) => f.no === ATTRIBUTE.name)?.bytes ?? EMPTY);
  const castTarget = opType === 'Cast' && name === 'to';
  return message(buf, {
    [ATTRIBUTE.i]: (f) => (castTarget ? widenElemType(f) : [f.raw]),
    [ATTRIBUTE.t]: sub(widenTensor),
    [ATTRIBUTE.tensors]: sub(widenTensor),
    [ATTRIBUTE.g]: sub((b) => widenGraph(b)),
    [ATTRIBUTE.graphs]: sub((b) => widenGraph(b)),
  });
}

function widenNode(buf: Uint8Array): Uint8Array[] {
  const opType = new TextDecoder().decode(fields(buf).find((f) => f.no === NODE.opType)?.bytes ?? EMPTY);
  return message(buf, { [NODE.attribute]: sub((b) => widenAttribute(b, opType)) });
}

function widenGraph(buf: Uint8Array, keepOutputs?: ReadonlySet<string>): Uint8Array[] {
  return message(buf, {
    [GRAPH.node]: sub(widenNode),
    [GRAPH.initializer]: sub(widenTensor),
    [GRAPH.input]: sub(widenValueInfo),
    [GRAPH.output]: (f) => (keepOutputs && !keepOutputs.has(nameOf(f.bytes)) ? [] : sub(widenValueInfo)(f)),
    [GRAPH.valueInfo]: sub(widenValueInfo),
  });
}

const nameOf = (valueInfo: Uint8Array): string => new TextDecoder().decode(fields(valueInfo).find((f) => f.no === VALUE_INFO.name)?.bytes ?? EMPTY);

export interface WidenOptions {
  /**
   * The main graph's outputs to keep; the others are dropped, and with them every node that only
   * they needed (the runtime removes dead nodes when it loads the model). All are kept by default.
   */
  keepOutputs?: string[];
}

/** The same model with every float16 tensor, type and cast made float32. */
export function widenFloat16Model(model: Uint8Array, opts: WidenOptions = {}): Buffer {
  const keep = opts.keepOutputs ? new Set(opts.keepOutputs) : undefined;
  const parts = message(model, {
    [MODEL.graph]: sub((b) => widenGraph(b, keep)),
    [MODEL.functions]: sub((b) => message(b, { [FUNCTION.node]: sub(widenNode) })),
  });
  return Buffer.concat(parts);
}
