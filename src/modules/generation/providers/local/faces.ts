/**
 * Faces in a photo: where they are, their 68 landmarks and a 128-d descriptor (faces.worker.ts, one
 * worker per process, loaded on first use and kept), plus two cheap measures sharp computes here on
 * the face itself: sharpness (variance of the Laplacian) and exposure (mean and clipped share of the
 * face's luminance). A model that cannot load is a `provider_error` for the run that needed it; the
 * next run starts a fresh worker.
 */
import sharp from 'sharp';
import { ProviderError } from '../provider.ts';
import { createModelWorker } from './model-worker.ts';
import type { FaceWorkerData, RawFace } from './faces.worker.ts';

/** The detector sees the photo at most this large (longest side): faces of 128 px and up stay well above its floor. */
const DETECT_SIDE = 1280;
/** The face is measured at this size, so sharpness is comparable between photos of any resolution. */
const PROBE = 128;

export interface FoundFace extends RawFace {
  /** Variance of the Laplacian of the face's luminance at 128×128 (higher is sharper). */
  sharpness: number;
  /** Mean luminance of the face, 0–255. */
  brightness: number;
  /** Share of the face's pixels at 0–8 or 247–255. */
  clipped: number;
}

export interface FacePhoto {
  width: number;
  height: number;
  faces: FoundFace[];
}

export interface FaceFinder {
  /** The faces of a photo (any format sharp reads), in the pixels of the photo as displayed (EXIF orientation applied). */
  find(image: Buffer, signal?: AbortSignal): Promise<FacePhoto>;
  warm(): Promise<void>;
  close(): Promise<void>;
}

async function measure(grey: Buffer, width: number, height: number, box: RawFace['box']): Promise<Pick<FoundFace, 'sharpness' | 'brightness' | 'clipped'>> {
  const left = Math.max(0, Math.floor(box.x));
  const top = Math.max(0, Math.floor(box.y));
  const w = Math.max(1, Math.min(width - left, Math.ceil(box.width)));
  const h = Math.max(1, Math.min(height - top, Math.ceil(box.height)));
  const px = await sharp(grey, { raw: { width, height, channels: 1 } })
    .extract({ left, top, width: w, height: h })
    .resize(PROBE, PROBE, { fit: 'fill', kernel: 'cubic' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  let sum = 0;
  let clipped = 0;
  for (const v of px) {
    sum += v;
    if (v <= 8 || v >= 247) clipped++;
  }
  let lapSum = 0;
  let lapSq = 0;
  let n = 0;
  for (let y = 1; y < PROBE - 1; y++) {
    for (let x = 1; x < PROBE - 1; x++) {
      const i = y * PROBE + x;
      const l = px[i - 1]! + px[i + 1]! + px[i - PROBE]! + px[i + PROBE]! - 4 * px[i]!;
      lapSum += l;
      lapSq += l * l;
      n++;
    }
  }
  const mean = lapSum / n;
  return { sharpness: lapSq / n - mean * mean, brightness: sum / px.length, clipped: clipped / px.length };
}

export function createFaceFinder(opts: FaceWorkerData = {}): FaceFinder {
  const worker = createModelWorker<RawFace[]>({
    url: new URL('./faces.worker.ts', import.meta.url),
    workerData: opts,
    errors: {
      load: (detail) => new ProviderError('provider_error', `the face model failed to load: ${detail}`),
      run: (detail) => new ProviderError('provider_error', `face detection failed: ${detail ?? 'unknown error'}`),
      exited: (code) => new ProviderError('provider_error', `the face worker exited (${code})`),
      closed: () => new ProviderError('provider_error', 'the face finder was closed'),
    },
    // The worker answers a list of faces (possibly empty) or an error.
    resultOf: (reply) => (Array.isArray(reply.faces) ? (reply.faces as RawFace[]) : undefined),
  });

  const detect = (rgb: Buffer, width: number, height: number, signal?: AbortSignal): Promise<RawFace[]> => worker.run(rgb, { width, height }, signal);

  return {
    async find(image, signal) {
      const oriented = sharp(image).rotate().toColourspace('srgb').removeAlpha();
      const { data: full, info } = await oriented.clone().raw().toBuffer({ resolveWithObject: true });
      const scale = Math.min(1, DETECT_SIDE / Math.max(info.width, info.height));
      const dw = Math.round(info.width * scale);
      const dh = Math.round(info.height * scale);
      const small = scale < 1 ? await sharp(full, { raw: { width: info.width, height: info.height, channels: 3 } }).resize(dw, dh, { fit: 'fill' }).raw().toBuffer() : full;
      const raw = await detect(small, dw, dh, signal);
      const grey = await sharp(full, { raw: { width: info.width, height: info.height, channels: 3 } }).greyscale().extractChannel(0).raw().toBuffer();
      const k = 1 / scale;
      const faces: FoundFace[] = [];
      for (const f of raw) {
        const box = { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k };
        faces.push({ ...f, box, landmarks: f.landmarks.map(([x, y]) => [x * k, y * k] as [number, number]), ...(await measure(grey, info.width, info.height, box)) });
      }
      return { width: info.width, height: info.height, faces };
    },
    warm: () => worker.warm(),
    close: () => worker.close(),
  };
}
