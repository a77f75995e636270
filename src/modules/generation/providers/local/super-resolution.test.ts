/**
 * The learned upscaler. Real: the RDN weights `@upscalerjs/esrgan-slim` ships, onnxruntime-node,
 * the worker thread. Stand-ins: a plain-JavaScript evaluation of the same Keras layers (written
 * here straight from the layers' definitions) as the reference the translated graph must match;
 * random pixels and small images instead of photos; an empty folder as a model that cannot load;
 * small tiles so a small image crosses many seams.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../provider.ts';
import { createSuperResolution } from './super-resolution.ts';
import { layersToOnnx, readLayersModel, SR_INPUT, SR_OUTPUT, type LoadedLayersModel, type SrScale } from './super-resolution.model.ts';
import { rng } from './random.ts';

interface Map3 {
  h: number;
  w: number;
  c: number;
  d: Float32Array;
}

/** The Keras layers, evaluated the obvious way on channels-last float maps. */
function reference(model: LoadedLayersModel, input: Map3): Map3 {
  const values = new Map<string, Map3>();
  const cfg = model.json.modelTopology.model_config.config;
  for (const layer of cfg.layers) {
    const ins = (layer.inbound_nodes[0] ?? []).map(([name]) => values.get(name)!);
    const c = layer.config as { padding?: string; activation?: string; size?: number[] };
    const a = ins[0]!;
    let out: Map3;
    switch (layer.class_name) {
      case 'InputLayer':
        out = input;
        break;
      case 'Conv2D': {
        const k = model.weights.get(`${layer.name}/kernel`)!;
        const b = model.weights.get(`${layer.name}/bias`)!;
        const [kh, kw, ci, co] = k.shape as [number, number, number, number];
        const ph = c.padding === 'same' ? (kh - 1) / 2 : 0;
        const pw = c.padding === 'same' ? (kw - 1) / 2 : 0;
        const d = new Float32Array(a.h * a.w * co);
        for (let y = 0; y < a.h; y++)
          for (let x = 0; x < a.w; x++)
            for (let o = 0; o < co; o++) {
              let s = b.data[o]!;
              for (let i = 0; i < kh; i++)
                for (let j = 0; j < kw; j++) {
                  const yy = y + i - ph;
                  const xx = x + j - pw;
                  if (yy < 0 || yy >= a.h || xx < 0 || xx >= a.w) continue; // zero padding
                  for (let q = 0; q < ci; q++) s += a.d[(yy * a.w + xx) * ci + q]! * k.data[((i * kw + j) * ci + q) * co + o]!;
                }
              d[(y * a.w + x) * co + o] = c.activation === 'relu' ? Math.max(0, s) : s;
            }
        out = { h: a.h, w: a.w, c: co, d };
        break;
      }
      case 'Activation':
        out = { ...a, d: a.d.map((v) => Math.max(0, v)) };
        break;
      case 'Add':
        out = { ...a, d: a.d.map((_, i) => ins.reduce((s, t) => s + t.d[i]!, 0)) };
        break;
      case 'Concatenate': {
        const channels = ins.reduce((s, t) => s + t.c, 0);
        const d = new Float32Array(a.h * a.w * channels);
        for (let p = 0; p < a.h * a.w; p++) {
          let at = p * channels;
          for (const t of ins) {
            d.set(t.d.subarray(p * t.c, (p + 1) * t.c), at);
            at += t.c;
          }
        }
        out = { h: a.h, w: a.w, c: channels, d };
        break;
      }
      case 'UpSampling2D': {
        const s = c.size![0]!;
        const d = new Float32Array(a.h * s * a.w * s * a.c);
        for (let y = 0; y < a.h * s; y++)
          for (let x = 0; x < a.w * s; x++) {
            const from = (Math.floor(y / s) * a.w + Math.floor(x / s)) * a.c;
            d.set(a.d.subarray(from, from + a.c), (y * a.w * s + x) * a.c);
          }
        out = { h: a.h * s, w: a.w * s, c: a.c, d };
        break;
      }
      default:
        throw new Error(`no reference for ${layer.class_name}`);
    }
    values.set(layer.name, out);
  }
  return values.get(cfg.output_layers[0]![0])!;
}

function randomPixels(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

async function wholeImageRun(scale: SrScale, rgb: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const session = await ort.InferenceSession.create(layersToOnnx(await readLayersModel(scale)).onnx);
  const out = (await session.run({ [SR_INPUT]: new ort.Tensor('float32', Float32Array.from(rgb), [1, height, width, 3]) }))[SR_OUTPUT]!.data as Float32Array;
  await session.release();
  return Uint8Array.from(out, (v) => Math.min(255, Math.max(0, Math.round(v))));
}

describe('the layers model translated to ONNX', () => {
  for (const scale of [2, 4] as const) {
    it(`gives what the Keras layers compute (x${scale}, random 7×9 patch)`, async () => {
      const model = await readLayersModel(scale);
      const translated = layersToOnnx(model);
      expect(translated.scale).toBe(scale);
      // The slim RDN's reach: 3×3 convolutions along its longest path plus the 5×5 one.
      expect(translated.margin).toBe(10);
      const [h, w] = [7, 9];
      const pixels = Float32Array.from(randomPixels(h * w * 3, scale));
      const want = reference(model, { h, w, c: 3, d: pixels });
      const session = await ort.InferenceSession.create(translated.onnx);
      const got = (await session.run({ [SR_INPUT]: new ort.Tensor('float32', pixels, [1, h, w, 3]) }))[SR_OUTPUT]!;
      await session.release();
      expect(got.dims).toEqual([1, h * scale, w * scale, 3]);
      expect([want.h, want.w, want.c]).toEqual([h * scale, w * scale, 3]);
      let worst = 0;
      const data = got.data as Float32Array;
      for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(data[i]! - want.d[i]!));
      // Float32 sums in a different order: a thousandth of a grey level apart at most.
      expect(worst).toBeLessThan(1e-3);
    });
  }

  it('refuses a layer it does not know instead of guessing', async () => {
    const model = await readLayersModel(2);
    const json = structuredClone(model.json);
    const layers = json.modelTopology.model_config.config.layers;
    layers[1] = { ...layers[1]!, class_name: 'DepthwiseConv2D' };
    expect(() => layersToOnnx({ json, weights: model.weights })).toThrow(/DepthwiseConv2D is not supported/);
  });
});

describe('createSuperResolution', () => {
  const sr = createSuperResolution({ intraOpThreads: 1, tile: 16 });
  afterAll(() => sr.close());

  for (const scale of [2, 4] as const) {
    it(`gives the same pixels in tiles as in one run (x${scale}, seams every 16 input pixels)`, async () => {
      const [width, height] = [61, 43];
      const rgb = randomPixels(width * height * 3, 10 + scale);
      const tiled = await sr.enlarge(rgb, width, height, scale);
      expect(tiled.length).toBe(width * scale * height * scale * 3);
      const whole = await wholeImageRun(scale, rgb, width, height);
      let differ = 0;
      for (let i = 0; i < whole.length; i++) if (Math.abs(whole[i]! - tiled[i]!) > 1) differ++;
      expect(differ).toBe(0);
    });
  }

  it('makes a model that cannot load a provider_error, and keeps working afterwards', async () => {
    const broken = createSuperResolution({ intraOpThreads: 1, modelDir: await mkdtemp(join(tmpdir(), 'no-model-')) });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const err = await broken.enlarge(new Uint8Array(4 * 4 * 3), 4, 4, 2).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ProviderError);
        expect((err as ProviderError).code).toBe('provider_error');
        expect((err as ProviderError).message).toMatch(/upscaling model failed to load/);
      }
    } finally {
      await broken.close();
    }
  });

  it('stops waiting when the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(sr.enlarge(new Uint8Array(8 * 8 * 3), 8, 8, 2, controller.signal)).rejects.toThrow('stop');
  });
});
