/**
 * The learned upscaler's network: the RDN ("ESRGAN slim") models that `@upscalerjs/esrgan-slim`
 * ships in its `models/x2` and `models/x4` folders as TensorFlow.js *layers* models (a Keras
 * topology in `model.json` plus float32 weights in `group1-shard1of1.bin`). Nothing is downloaded.
 *
 * onnxruntime-node (already here for background removal) cannot read that format, and the
 * TensorFlow.js backends that can are either a native library fetched at install time or too slow
 * on CPU, so the topology is translated into an ONNX graph when the model loads. The translation
 * knows only the layers these models use — InputLayer, Conv2D, Activation (relu), Concatenate,
 * Add, UpSampling2D (nearest) — and refuses anything else, so a changed package fails to load
 * (a `provider_error`) instead of producing wrong pixels.
 *
 * Layout: Keras is channels-last with HWIO kernels, ONNX convolutions are channels-first with OIHW
 * kernels. The graph takes and returns NHWC float pixels (0–255, the range these RDN models were
 * trained on) and transposes once at each end; kernels are transposed here. Keras 'same' padding
 * with stride 1 and an odd kernel is a symmetric (k−1)/2 zero pad; UpSampling2D 'nearest' by an
 * integer factor is a Resize that repeats each pixel (asymmetric coordinates, floor) — except where
 * a convolution is its only reader, as in these models: the pair then becomes one convolution at
 * the input's size and a DepthToSpace (foldUpsampledConv), the same numbers for less work.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesField, varint, varintField } from './onnx-widen.ts';

export type SrScale = 2 | 4;

/** The package the weights ship in, and what the decision and docs say about it. */
export const SR_PACKAGE = '@upscalerjs/esrgan-slim';

interface KerasLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, unknown][][];
}

export interface LayersModelJson {
  format?: string;
  modelTopology: {
    model_config: { class_name: string; config: { layers: KerasLayer[]; input_layers: [string, number, number][]; output_layers: [string, number, number][] } };
  };
  weightsManifest: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

export interface Weight {
  shape: number[];
  data: Float32Array;
}

export interface LoadedLayersModel {
  json: LayersModelJson;
  weights: Map<string, Weight>;
}

/** The package's `models/` folder. */
export function srModelDir(): string {
  // The package's entry file is dist/<format>/models/esrgan-slim/src/index.js; its package.json
  // is not exported, so walk up from the entry.
  const entry = fileURLToPath(import.meta.resolve(SR_PACKAGE));
  return join(dirname(entry), '..', '..', '..', '..', '..', 'models');
}

/** Reads `x<scale>/model.json` and its weight shards (float32 only, in manifest order). */
export async function readLayersModel(scale: SrScale, dir = srModelDir()): Promise<LoadedLayersModel> {
  const folder = join(dir, `x${scale}`);
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as LayersModelJson;
  if (json.format !== 'layers-model') throw new Error(`${folder}/model.json is not a TensorFlow.js layers model`);
  const weights = new Map<string, Weight>();
  for (const group of json.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(folder, p))));
    const bytes = Buffer.concat(shards);
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`weight ${w.name} is ${w.dtype}; only float32 is supported`);
      const n = w.shape.reduce((a, b) => a * b, 1);
      if (offset + n * 4 > bytes.length) throw new Error(`the weights of ${folder} are shorter than model.json says`);
      // Copied out so each weight is aligned and owns its memory.
      const data = new Float32Array(n);
      new Uint8Array(data.buffer).set(bytes.subarray(offset, offset + n * 4));
      weights.set(w.name, { shape: w.shape, data });
      offset += n * 4;
    }
    if (offset !== bytes.length) throw new Error(`the weights of ${folder} are longer than model.json says`);
  }
  return { json, weights };
}

// onnx.proto field numbers (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
const MODEL = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8 } as const;
const OPSET = { domain: 1, version: 2 } as const;
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, i: 3, s: 4, ints: 8, type: 20 } as const;
const ATTRIBUTE_TYPE = { int: 2, string: 3, ints: 7 } as const;
const TENSOR = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TYPE_TENSOR = { elemType: 1, shape: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIM = { value: 1, param: 2 } as const;
const FLOAT = 1;
const IR_VERSION = 7;
const OPSET_VERSION = 13;

type Parts = Uint8Array[];
const text = (no: number, s: string): Parts => bytesField(no, [new TextEncoder().encode(s)]);
const signed = (no: number, v: number): Parts => (v >= 0 ? varintField(no, v) : [varint(no * 8), varint(2 ** 64 + v)]);

type Attr = { name: string } & ({ int: number } | { ints: number[] } | { str: string });
function attribute(a: Attr): Parts {
  const out: Parts = [...text(ATTRIBUTE.name, a.name)];
  if ('int' in a) out.push(...signed(ATTRIBUTE.i, a.int), ...varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.int));
  else if ('ints' in a) out.push(...a.ints.flatMap((v) => signed(ATTRIBUTE.ints, v)), ...varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.ints));
  else out.push(...text(ATTRIBUTE.s, a.str), ...varintField(ATTRIBUTE.type, ATTRIBUTE_TYPE.string));
  return out;
}

function node(opType: string, name: string, inputs: string[], outputs: string[], attrs: Attr[] = []): Parts {
  return [
    ...inputs.flatMap((i) => text(NODE.input, i)),
    ...outputs.flatMap((o) => text(NODE.output, o)),
    ...text(NODE.name, name),
    ...text(NODE.opType, opType),
    ...attrs.flatMap((a) => bytesField(NODE.attribute, attribute(a))),
  ];
}

function tensor(name: string, dims: number[], data: Float32Array): Parts {
  return [
    ...dims.flatMap((d) => varintField(TENSOR.dims, d)),
    ...varintField(TENSOR.dataType, FLOAT),
    ...text(TENSOR.name, name),
    ...bytesField(TENSOR.rawData, [new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]),
  ];
}

/** A float tensor value with fixed or named (symbolic) dimensions. */
function valueInfo(name: string, dims: (number | string)[]): Parts {
  const shape = dims.flatMap((d) => bytesField(SHAPE.dim, typeof d === 'number' ? varintField(DIM.value, d) : text(DIM.param, d)));
  const tensorType = [...varintField(TYPE_TENSOR.elemType, FLOAT), ...bytesField(TYPE_TENSOR.shape, shape)];
  return [...text(VALUE_INFO.name, name), ...bytesField(VALUE_INFO.type, bytesField(TYPE.tensorType, tensorType))];
}

/** Keras HWIO → ONNX OIHW. */
export function hwioToOihw(kernel: Float32Array, [kh, kw, ci, co]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + w] = kernel[((h * kw + w) * ci + i) * co + o]!;
  return out;
}

/**
 * A 'same' convolution of a nearest-upsampled map, as a convolution of the map itself with s²
 * times the output channels, to be followed by DepthToSpace (CRD order). Output pixel
 * (s·y + a, s·x + b) of the upsampled convolution reads upsampled pixels s·y + a + i − p, that is
 * input rows y + ⌊(a + i − p)/s⌋; summing the kernel taps that land on the same input pixel gives
 * one small kernel for each phase (a, b). Same result, but the network never holds the upsampled
 * map (at 4× a 48-channel map sixteen times the input's size) nor convolves at output size.
 */
export function foldUpsampledConv(
  kernel: Float32Array,
  bias: Float32Array,
  [kh, kw, ci, co]: [number, number, number, number],
  s: number,
): { weight: Float32Array; bias: Float32Array; dims: [number, number, number, number]; pads: [number, number, number, number] } {
  const ph = (kh - 1) / 2;
  const pw = (kw - 1) / 2;
  const lo = (p: number): number => Math.floor(-p / s);
  const hi = (p: number): number => Math.floor((s - 1 + p) / s);
  const [top, left] = [-lo(ph), -lo(pw)];
  const fh = hi(ph) + top + 1;
  const fw = hi(pw) + left + 1;
  const outC = co * s * s;
  const weight = new Float32Array(outC * ci * fh * fw);
  for (let o = 0; o < co; o++)
    for (let a = 0; a < s; a++)
      for (let b = 0; b < s; b++) {
        const oc = (o * s + a) * s + b; // DepthToSpace CRD: channel c·s² + a·s + b → (c, s·y + a, s·x + b)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const di = Math.floor((a + i - ph) / s) + top;
            const dj = Math.floor((b + j - pw) / s) + left;
            for (let c = 0; c < ci; c++) weight[((oc * ci + c) * fh + di) * fw + dj]! += kernel[((i * kw + j) * ci + c) * co + o]!;
          }
      }
  const folded = Float32Array.from({ length: outC }, (_, oc) => bias[Math.floor(oc / (s * s))]!);
  return { weight, bias: folded, dims: [outC, ci, fh, fw], pads: [top, left, fh - 1 - top, fw - 1 - left] };
}

export const SR_INPUT = 'lr_nhwc';
export const SR_OUTPUT = 'sr_nhwc';

export interface TranslatedModel {
  onnx: Uint8Array;
  /** The enlargement the network makes. */
  scale: number;
  /**
   * How far (in input pixels) an output pixel can see: a tile cut with this much extra input on
   * each side gives exactly the pixels a whole-image run would.
   */
  margin: number;
}

const pair = (v: unknown, what: string): [number, number] => {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x))) throw new Error(`${what}: expected two integers`);
  return [v[0] as number, v[1] as number];
};

/** The layers model as an ONNX model taking [1, h, w, 3] and giving [1, h·s, w·s, 3], float 0–255. */
export function layersToOnnx(model: LoadedLayersModel): TranslatedModel {
  const cfg = model.json.modelTopology.model_config.config;
  const inputs = cfg.input_layers;
  const outputs = cfg.output_layers;
  if (inputs.length !== 1 || outputs.length !== 1) throw new Error('the upscaling model must have one input and one output');
  const nodes: Parts = [];
  const initializers: Parts = [];
  /** The ONNX tensor that carries each Keras layer's output (NCHW). */
  const tensorOf = new Map<string, string>();
  /** Each layer's output: its resolution relative to the input, and how far it sees (input pixels). */
  const reach = new Map<string, { res: number; radius: number }>();
  const add = (opType: string, name: string, ins: string[], attrs: Attr[] = []): string => {
    const out = `${name}:${opType}`;
    nodes.push(...bytesField(GRAPH.node, node(opType, out, ins, [out], attrs)));
    return out;
  };

  /** Which layers read each layer's output. */
  const consumers = new Map<string, string[]>();
  for (const layer of cfg.layers) for (const [name] of layer.inbound_nodes[0] ?? []) consumers.set(name, [...(consumers.get(name) ?? []), layer.name]);
  /** Nearest upsamplings not emitted, to be folded into the one convolution that reads them. */
  const deferred = new Map<string, { source: string; factor: number }>();

  for (const layer of cfg.layers) {
    const c = layer.config;
    const srcNames = (layer.inbound_nodes[0] ?? []).map(([name, nodeIndex, tensorIndex]) => {
      if (nodeIndex !== 0 || tensorIndex !== 0) throw new Error(`layer ${layer.name}: shared layers are not supported`);
      if (!tensorOf.has(name)) throw new Error(`layer ${layer.name}: input ${name} is not defined before it`);
      return name;
    });
    const src = srcNames.map((n) => tensorOf.get(n)!);
    const from = srcNames.map((n) => reach.get(n)!);
    const res = from[0]?.res ?? 1;
    if (from.some((r) => r.res !== res)) throw new Error(`layer ${layer.name}: inputs of different sizes`);
    const radius = Math.max(0, ...from.map((r) => r.radius));
    switch (layer.class_name) {
      case 'InputLayer': {
        const shape = c.batch_input_shape as (number | null)[];
        if (shape.length !== 4 || shape[3] !== 3) throw new Error('the upscaling model must take RGB images');
        tensorOf.set(layer.name, add('Transpose', layer.name, [SR_INPUT], [{ name: 'perm', ints: [0, 3, 1, 2] }]));
        reach.set(layer.name, { res: 1, radius: 0 });
        break;
      }
      case 'Conv2D': {
        const [kh, kw] = pair(c.kernel_size, `${layer.name} kernel_size`);
        const [sh, sw] = pair(c.strides, `${layer.name} strides`);
        const [dh, dw] = pair(c.dilation_rate, `${layer.name} dilation_rate`);
        if (sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || (c.groups ?? 1) !== 1) throw new Error(`layer ${layer.name}: only plain stride-1 convolutions are supported`);
        if (c.data_format !== 'channels_last') throw new Error(`layer ${layer.name}: only channels_last is supported`);
        if (kh % 2 === 0 || kw % 2 === 0) throw new Error(`layer ${layer.name}: only odd kernels are supported`);
        const same = c.padding === 'same';
        if (!same && !(c.padding === 'valid' && kh === 1 && kw === 1)) throw new Error(`layer ${layer.name}: padding ${String(c.padding)} is not supported`);
        const kernel = model.weights.get(`${layer.name}/kernel`);
        if (!kernel || kernel.shape.length !== 4 || kernel.shape[0] !== kh || kernel.shape[1] !== kw) throw new Error(`layer ${layer.name}: kernel weights missing or of the wrong shape`);
        const [, , ci, co] = kernel.shape as [number, number, number, number];
        const bias = c.use_bias === false ? { shape: [co], data: new Float32Array(co) } : model.weights.get(`${layer.name}/bias`);
        if (!bias || bias.data.length !== co) throw new Error(`layer ${layer.name}: bias weights missing or of the wrong shape`);
        const ph = same ? (kh - 1) / 2 : 0;
        const pw = same ? (kw - 1) / 2 : 0;
        const w = `${layer.name}/W`;
        const b = `${layer.name}/B`;
        const up = deferred.get(srcNames[0]!);
        let out: string;
        if (up) {
          // Nearest upsampling then this convolution: folded into one at the input's size.
          const f = foldUpsampledConv(kernel.data, bias.data, [same ? kh : 1, same ? kw : 1, ci, co], up.factor);
          initializers.push(...bytesField(GRAPH.initializer, tensor(w, f.dims, f.weight)), ...bytesField(GRAPH.initializer, tensor(b, [f.dims[0]], f.bias)));
          const lowRes = add('Conv', layer.name, [up.source, w, b], [
            { name: 'kernel_shape', ints: [f.dims[2], f.dims[3]] },
            { name: 'pads', ints: f.pads },
          ]);
          out = add('DepthToSpace', layer.name, [lowRes], [
            { name: 'blocksize', int: up.factor },
            { name: 'mode', str: 'CRD' },
          ]);
        } else {
          initializers.push(...bytesField(GRAPH.initializer, tensor(w, [co, ci, kh, kw], hwioToOihw(kernel.data, [kh, kw, ci, co]))), ...bytesField(GRAPH.initializer, tensor(b, [co], bias.data)));
          out = add('Conv', layer.name, [src[0]!, w, b], [
            { name: 'kernel_shape', ints: [kh, kw] },
            { name: 'pads', ints: [ph, pw, ph, pw] },
          ]);
        }
        if (c.activation === 'relu') out = add('Relu', layer.name, [out]);
        else if (c.activation !== 'linear') throw new Error(`layer ${layer.name}: activation ${String(c.activation)} is not supported`);
        tensorOf.set(layer.name, out);
        reach.set(layer.name, { res, radius: radius + Math.max(ph, pw) / res });
        break;
      }
      case 'Activation':
        if (c.activation !== 'relu') throw new Error(`layer ${layer.name}: activation ${String(c.activation)} is not supported`);
        tensorOf.set(layer.name, add('Relu', layer.name, src));
        reach.set(layer.name, { res, radius });
        break;
      case 'Concatenate':
        if (c.axis !== 3 && c.axis !== -1) throw new Error(`layer ${layer.name}: only channel concatenation is supported`);
        tensorOf.set(layer.name, add('Concat', layer.name, src, [{ name: 'axis', int: 1 }]));
        reach.set(layer.name, { res, radius });
        break;
      case 'Add':
        tensorOf.set(layer.name, add('Sum', layer.name, src));
        reach.set(layer.name, { res, radius });
        break;
      case 'UpSampling2D': {
        const [fh, fw] = pair(c.size, `${layer.name} size`);
        if (c.interpolation !== 'nearest' || fh !== fw || c.data_format !== 'channels_last') throw new Error(`layer ${layer.name}: only square nearest upsampling is supported`);
        const next = consumers.get(layer.name) ?? [];
        const conv = next.length === 1 ? cfg.layers.find((l) => l.name === next[0]) : undefined;
        if (conv?.class_name === 'Conv2D') {
          // Left for that convolution to fold in (foldUpsampledConv).
          deferred.set(layer.name, { source: src[0]!, factor: fh });
          tensorOf.set(layer.name, src[0]!);
          reach.set(layer.name, { res: res * fh, radius });
          break;
        }
        const scales = `${layer.name}/scales`;
        initializers.push(...bytesField(GRAPH.initializer, tensor(scales, [4], Float32Array.of(1, 1, fh, fw))));
        tensorOf.set(
          layer.name,
          add('Resize', layer.name, [src[0]!, '', scales], [
            { name: 'mode', str: 'nearest' },
            { name: 'coordinate_transformation_mode', str: 'asymmetric' },
            { name: 'nearest_mode', str: 'floor' },
          ]),
        );
        reach.set(layer.name, { res: res * fh, radius });
        break;
      }
      default:
        throw new Error(`layer ${layer.name}: ${layer.class_name} is not supported`);
    }
  }
  const last = outputs[0]![0];
  const out = tensorOf.get(last);
  const outReach = reach.get(last);
  if (!out || !outReach) throw new Error(`the model's output ${last} is not a layer`);
  nodes.push(...bytesField(GRAPH.node, node('Transpose', 'output:Transpose', [out], [SR_OUTPUT], [{ name: 'perm', ints: [0, 2, 3, 1] }])));
  const graph: Parts = [
    ...nodes,
    ...text(GRAPH.name, 'rdn'),
    ...initializers,
    ...bytesField(GRAPH.input, valueInfo(SR_INPUT, [1, 'h', 'w', 3])),
    ...bytesField(GRAPH.output, valueInfo(SR_OUTPUT, [1, 'H', 'W', 3])),
  ];
  const modelParts: Parts = [
    ...varintField(MODEL.irVersion, IR_VERSION),
    ...text(MODEL.producerName, 'atelier'),
    ...bytesField(MODEL.graph, graph),
    ...bytesField(MODEL.opsetImport, [...text(OPSET.domain, ''), ...varintField(OPSET.version, OPSET_VERSION)]),
  ];
  return { onnx: Buffer.concat(modelParts), scale: outReach.res, margin: Math.ceil(outReach.radius) };
}
