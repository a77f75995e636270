/**
 * The float16 → float32 model rewrite, on a small model built here byte by byte and run in the real
 * onnxruntime: a float16 weight stored as raw bytes, a float16 constant stored the other way
 * (int32_data), Casts to float16, and a second output to drop.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { widenFloat16Model } from './onnx-widen.ts';

// A minimal protobuf writer for the test model.
function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const int = (no: number, v: number): number[] => [...varint(no * 8), ...varint(v)];
const bytes = (no: number, content: number[] | Uint8Array): number[] => [...varint(no * 8 + 2), ...varint(content.length), ...content];
const str = (no: number, s: string): number[] => bytes(no, [...new TextEncoder().encode(s)]);

const FLOAT = 1;
const FLOAT16 = 10;
const half = (x: number): number => {
  // Exact for the values used here (small dyadic fractions).
  const f = new Float32Array([x]);
  const bits = new Uint32Array(f.buffer)[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const frac = (bits >>> 13) & 0x3ff;
  return sign | (exp << 10) | frac;
};

const valueInfo = (name: string, elemType: number, dims: number[]): number[] =>
  [...str(1, name), ...bytes(2, bytes(1, [...int(1, elemType), ...bytes(2, dims.flatMap((d) => bytes(1, int(1, d))))]))];
const node = (op: string, inputs: string[], outputs: string[], attrs: number[][] = []): number[] => [
  ...inputs.flatMap((i) => str(1, i)),
  ...outputs.flatMap((o) => str(2, o)),
  ...str(4, op),
  ...attrs.flatMap((a) => bytes(5, a)),
];
const castTo = (t: number): number[] => [...str(1, 'to'), ...int(3, t), ...int(20, 2)];

/** Y = float(half(X) + B + C), Z = X · X; B is raw float16 bytes, C a Constant in int32_data. */
function testModel(): Uint8Array {
  const b = [0.5, -0.25, 1.5, 2];
  const c = [1.25, 0.125, -3, 0.5];
  const raw = new Uint8Array(new Uint16Array(b.map(half)).buffer);
  const tensorB = [...int(1, 4), ...int(2, FLOAT16), ...str(8, 'B'), ...bytes(9, raw)];
  const tensorC = [...int(1, 4), ...int(2, FLOAT16), ...bytes(5, c.map(half).flatMap(varint))];
  const graph = [
    ...bytes(1, node('Cast', ['X'], ['Xh'], [castTo(FLOAT16)])),
    ...bytes(1, node('Constant', [], ['C'], [[...str(1, 'value'), ...bytes(5, tensorC), ...int(20, 4)]])),
    ...bytes(1, node('Add', ['Xh', 'B'], ['S1'])),
    ...bytes(1, node('Add', ['S1', 'C'], ['S2'])),
    ...bytes(1, node('Cast', ['S2'], ['Y'], [castTo(FLOAT)])),
    ...bytes(1, node('Mul', ['X', 'X'], ['Z'])),
    ...str(2, 'test'),
    ...bytes(5, tensorB),
    ...bytes(11, valueInfo('X', FLOAT, [4])),
    ...bytes(12, valueInfo('Y', FLOAT, [4])),
    ...bytes(12, valueInfo('Z', FLOAT, [4])),
    ...bytes(13, valueInfo('Xh', FLOAT16, [4])),
  ];
  return Uint8Array.from([...int(1, 8), ...bytes(7, graph), ...bytes(8, int(2, 17))]);
}

const x = new Float32Array([0.1, 0.2, 0.3, 0.4]);
async function run(model: Uint8Array, outputs: string[]) {
  // Unoptimised, so the runtime does not itself fold away the float16 round trips.
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled' });
  try {
    const out = await session.run({ X: new ort.Tensor('float32', x, [4]) }, outputs);
    return { names: session.outputNames, values: Object.fromEntries(outputs.map((o) => [o, Array.from(out[o]!.data as Float32Array)])) };
  } finally {
    await session.release();
  }
}

describe('widenFloat16Model', () => {
  it('computes in float32 what the float16 model computes', async () => {
    const original = await run(testModel(), ['Y']);
    const widened = await run(widenFloat16Model(testModel()), ['Y', 'Z']);
    const exact = Array.from(x, (v, i) => Math.fround(Math.fround(v + [0.5, -0.25, 1.5, 2][i]!) + [1.25, 0.125, -3, 0.5][i]!));
    expect(widened.values.Y).toEqual(exact);
    // The same function as the original (which the runtime may run partly at half precision).
    original.values.Y!.forEach((v, i) => expect(v).toBeCloseTo(exact[i]!, 2));
    expect(widened.values.Z).toEqual(Array.from(x, (v) => Math.fround(v * v)));
  });

  it('stores the weights and constants as float32', () => {
    const widened = widenFloat16Model(testModel());
    expect(widened.indexOf(Buffer.from(new Float32Array([0.5, -0.25, 1.5, 2]).buffer))).toBeGreaterThan(0);
    expect(widened.indexOf(Buffer.from(new Float32Array([1.25, 0.125, -3, 0.5]).buffer))).toBeGreaterThan(0);
  });

  it('drops the outputs it is not asked to keep', async () => {
    const pruned = await run(widenFloat16Model(testModel(), { keepOutputs: ['Y'] }), ['Y']);
    expect(pruned.names).toEqual(['Y']);
  });

  it('leaves a float32 model byte for byte as it was', () => {
    const once = widenFloat16Model(testModel());
    expect(Buffer.compare(widenFloat16Model(once), once)).toBe(0);
  });

  it('refuses bytes that are not a protobuf message', () => {
    expect(() => widenFloat16Model(Uint8Array.from([0x3a, 0xff, 0xff]))).toThrow(/onnx: truncated/);
  });
});
