/**
 * Face detection, landmarks and descriptors in a worker thread (face.ts's FaceFinder): the models
 * run on TensorFlow.js's WebAssembly backend, whose compute is synchronous on the thread that calls
 * it, so on the main thread a photo would freeze the event loop for a second.
 *
 * The models are the ones `@vladmandic/face-api` ships in its `model/` folder (SSD MobileNet v1
 * detector, 68-point landmark net, ResNet-34-like 128-d descriptor) and the `.wasm` binaries are
 * the ones `@tensorflow/tfjs-backend-wasm` ships in its `dist/`: nothing is downloaded.
 *
 * In: `{ id, rgb, width, height }` (HWC bytes). Out: `{ id, faces }` or `{ id, error }`.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

export interface FaceWorkerData {
  /** Overrides the package's model folder (tests point it at an empty one to see a failed load). */
  modelDir?: string;
}

/** One face as the network sees it, in the pixels of the image it was given. */
export interface RawFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  /** 68 points (iBUG 300-W order: jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67). */
  landmarks: [number, number][];
  descriptor: number[];
}

const port = parentPort;
if (!port) throw new Error('faces.worker.ts must run in a worker thread');
const options = (workerData ?? {}) as FaceWorkerData;
const require = createRequire(import.meta.url);

interface FaceApi {
  tf: { setBackend(name: string): Promise<boolean>; ready(): Promise<void>; tensor3d(values: Uint8Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void } };
  nets: Record<'ssdMobilenetv1' | 'faceLandmark68Net' | 'faceRecognitionNet', { loadFromDisk(dir: string): Promise<void> }>;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  detectAllFaces(input: unknown, options: unknown): {
    withFaceLandmarks(): {
      withFaceDescriptors(): Promise<
        { detection: { box: { x: number; y: number; width: number; height: number }; score: number }; landmarks: { positions: { x: number; y: number }[] }; descriptor: Float32Array }[]
      >;
    };
  };
}

async function load(): Promise<FaceApi> {
  const pkg = dirname(require.resolve('@vladmandic/face-api/package.json'));
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  const api = require(join(pkg, 'dist/face-api.node-wasm.js')) as FaceApi;
  await api.tf.setBackend('wasm');
  await api.tf.ready();
  const dir = options.modelDir ?? join(pkg, 'model');
  await api.nets.ssdMobilenetv1.loadFromDisk(dir);
  await api.nets.faceLandmark68Net.loadFromDisk(dir);
  await api.nets.faceRecognitionNet.loadFromDisk(dir);
  return api;
}

const apiPromise = load();
apiPromise.then(
  () => port.postMessage({ ready: true }),
  (err: unknown) => port.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) }),
);

port.on('message', async (msg: { id: number; rgb: ArrayBuffer; width: number; height: number }) => {
  try {
    const api = await apiPromise;
    const tensor = api.tf.tensor3d(new Uint8Array(msg.rgb), [msg.height, msg.width, 3], 'int32');
    try {
      // A low confidence floor: a second, half-hidden face must still count as "several faces".
      const found = await api.detectAllFaces(tensor, new api.SsdMobilenetv1Options({ minConfidence: 0.5, maxResults: 10 })).withFaceLandmarks().withFaceDescriptors();
      const faces: RawFace[] = found.map((f) => ({
        box: { x: f.detection.box.x, y: f.detection.box.y, width: f.detection.box.width, height: f.detection.box.height },
        score: f.detection.score,
        landmarks: f.landmarks.positions.map((p) => [p.x, p.y] as [number, number]),
        descriptor: Array.from(f.descriptor),
      }));
      port.postMessage({ id: msg.id, faces });
    } finally {
      tensor.dispose();
    }
  } catch (err) {
    port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
