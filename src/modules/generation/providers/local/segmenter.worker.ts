/**
 * The ISNet session, in a worker thread: onnxruntime-node's `session.run` is synchronous native work
 * (its promise only defers the call with setImmediate), so on the main thread it would freeze the
 * event loop for seconds. Here it runs on its own thread and the main thread stays responsive.
 *
 * In: `{ id, rgb }` — 1024×1024×3 bytes (HWC, already resized by sharp). Out: `{ id, mask }` —
 * 1024×1024 bytes of alpha, or `{ id, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { widenFloat16Model } from './onnx-widen.ts';
import { readModel, type SegmentationModel } from './segmenter.model.ts';

export interface SegmenterWorkerData {
  model: SegmentationModel;
  intraOpThreads: number;
  modelDir?: string;
}

const SIDE = 1024;
/** The ISNet export's final mask; its other outputs are the side outputs used in training. */
const OUTPUT = 'output';
const PIXELS = SIDE * SIDE;
const port = parentPort;
if (!port) throw new Error('segmenter.worker.ts must run in a worker thread');
const options = workerData as SegmenterWorkerData;

const sessionPromise = readModel(options.model, options.modelDir).then((bytes) =>
  // As float32, with only the final mask kept as an output (see onnx-widen.ts): on a 2-core
  // machine this alone takes a tenth off every run.
  ort.InferenceSession.create(widenFloat16Model(bytes, { keepOutputs: [OUTPUT] }), {
    graphOptimizationLevel: 'all',
    // One operator at a time, each spread over the intra-op threads: on a couple of cores the
    // library's 'parallel' mode only adds contention.
    executionMode: 'sequential',
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: 1,
    // Without a memory pattern the second run reuses the first run's arena blocks instead of
    // planning (and page-faulting) a new one: measured, runs 1–2 of a fresh worker took
    // 2.3 s/2.8 s with it and 2.2 s/1.8 s without; later runs the same (~1.75 s) either way.
    enableMemPattern: false,
  }),
);
sessionPromise.then(
  () => port.postMessage({ ready: true }),
  (err: unknown) => port.postMessage({ ready: false, error: String(err) }),
);

// The network's normalisation: (v - 128) / 256 per channel, planar (CHW) float input.
const input = new Float32Array(3 * PIXELS);

port.on('message', async (msg: { id: number; rgb: ArrayBuffer }) => {
  try {
    const session = await sessionPromise;
    const rgb = new Uint8Array(msg.rgb);
    for (let i = 0, j = 0; j < PIXELS; i += 3, j++) {
      input[j] = (rgb[i]! - 128) / 256;
      input[j + PIXELS] = (rgb[i + 1]! - 128) / 256;
      input[j + 2 * PIXELS] = (rgb[i + 2]! - 128) / 256;
    }
    const inputName = session.inputNames[0]!;
    const result = await session.run({ [inputName]: new ort.Tensor('float32', input, [1, 3, SIDE, SIDE]) }, [OUTPUT]);
    const prob = result[OUTPUT]!.data as Float32Array;
    const mask = new Uint8Array(PIXELS);
    for (let j = 0; j < PIXELS; j++) {
      const v = prob[j]! * 255;
      mask[j] = v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5;
    }
    port.postMessage({ id: msg.id, mask: mask.buffer }, [mask.buffer]);
  } catch (err) {
    port.postMessage({ id: msg.id, error: String(err) });
  }
});
