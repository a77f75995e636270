/**
 * The learned upscaler's sessions, in a worker thread: onnxruntime-node's `session.run` is
 * synchronous native work, so on the main thread a photo would freeze the event loop for seconds.
 * Both networks (2× and 4×, super-resolution.model.ts) are translated and loaded once, when the
 * worker starts, and kept for the life of the process.
 *
 * Images are run in tiles of at most TILE input pixels a side, each cut with the network's whole
 * reach (`margin`) of extra input around it, so every output pixel is exactly what a whole-image
 * run would give while the network's activations stay a few tens of MB whatever the image's size
 * (a whole 1 MP photo in one run would hold ~0.5 GB in its 128-channel maps alone).
 *
 * In: `{ id, rgb, width, height, scale }` (HWC bytes). Out: `{ id, rgb }` (HWC bytes, scale× each
 * side) or `{ id, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { layersToOnnx, readLayersModel, SR_INPUT, SR_OUTPUT, type SrScale } from './super-resolution.model.ts';

export interface SrWorkerData {
  intraOpThreads: number;
  /** Overrides the package's `models/` folder (tests point it at an empty one to see a failed load). */
  modelDir?: string;
  /** Input pixels a tile covers on each side, margin excluded (tests make it small to cross many seams). */
  tile?: number;
}

export interface SrRequest {
  id: number;
  rgb: ArrayBuffer;
  width: number;
  height: number;
  scale: SrScale;
}

/**
 * 192 + 2·10 input pixels. Measured (1024×1024 at 2×, 768×768 at 4×): the process peaked ~300 MB
 * above its idle size whatever the image; 384-pixel tiles took ~0.8 GB, 96-pixel tiles ~0.15 GB
 * but ran about twice as long (the margin is recomputed around every tile).
 */
const TILE = 192;

const port = parentPort;
if (!port) throw new Error('super-resolution.worker.ts must run in a worker thread');
const options = workerData as SrWorkerData;

interface Net {
  session: ort.InferenceSession;
  margin: number;
}

async function load(scale: SrScale): Promise<Net> {
  const translated = layersToOnnx(await readLayersModel(scale, options.modelDir));
  if (translated.scale !== scale) throw new Error(`the x${scale} model enlarges ${translated.scale}×`);
  const session = await ort.InferenceSession.create(translated.onnx, {
    graphOptimizationLevel: 'all',
    // As for background removal: one operator at a time over the intra-op threads.
    executionMode: 'sequential',
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: 1,
    // Tiles vary in size at the image's edges; a memory pattern would be planned for each shape.
    enableMemPattern: false,
  });
  return { session, margin: translated.margin };
}

const netsPromise = Promise.all([load(2), load(4)]).then(([x2, x4]) => ({ 2: x2, 4: x4 }) as Record<SrScale, Net>);
netsPromise.then(
  () => port.postMessage({ ready: true }),
  (err: unknown) => port.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) }),
);

async function enlarge(net: Net, rgb: Uint8Array, width: number, height: number, scale: SrScale): Promise<Uint8Array<ArrayBuffer>> {
  const outW = width * scale;
  const out = new Uint8Array(new ArrayBuffer(outW * height * scale * 3));
  const core = options.tile ?? TILE;
  const m = net.margin;
  for (let ty = 0; ty < height; ty += core) {
    for (let tx = 0; tx < width; tx += core) {
      // The tile's own pixels, then as much margin as the image has around them.
      const cw = Math.min(core, width - tx);
      const ch = Math.min(core, height - ty);
      const x0 = Math.max(0, tx - m);
      const y0 = Math.max(0, ty - m);
      const x1 = Math.min(width, tx + cw + m);
      const y1 = Math.min(height, ty + ch + m);
      const tw = x1 - x0;
      const th = y1 - y0;
      const input = new Float32Array(tw * th * 3);
      for (let y = 0; y < th; y++) {
        const row = ((y0 + y) * width + x0) * 3;
        for (let i = 0; i < tw * 3; i++) input[y * tw * 3 + i] = rgb[row + i]!;
      }
      const result = await net.session.run({ [SR_INPUT]: new ort.Tensor('float32', input, [1, th, tw, 3]) });
      const sr = result[SR_OUTPUT]!.data as Float32Array;
      const srW = tw * scale;
      // Only the tile's own pixels are kept; the margin's are partial (they lack their own margin).
      for (let y = 0; y < ch * scale; y++) {
        const from = (((ty - y0) * scale + y) * srW + (tx - x0) * scale) * 3;
        const to = ((ty * scale + y) * outW + tx * scale) * 3;
        for (let i = 0; i < cw * scale * 3; i++) {
          const v = sr[from + i]!;
          out[to + i] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
        }
      }
    }
  }
  return out;
}

port.on('message', async (msg: SrRequest) => {
  try {
    const nets = await netsPromise;
    const out = await enlarge(nets[msg.scale], new Uint8Array(msg.rgb), msg.width, msg.height, msg.scale);
    port.postMessage({ id: msg.id, rgb: out.buffer }, [out.buffer]);
  } catch (err) {
    port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
