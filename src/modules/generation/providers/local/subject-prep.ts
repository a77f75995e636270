/**
 * `subject_training` on the local provider (decision 030): no model is trained; each photo's face is
 * found and measured, and a photo that cannot make a headshot is refused by name — no face, several
 * faces, a face under 128 px, a blurred or badly exposed face, or a person other than the one in
 * the other photos. What comes back is the faces themselves (box, landmarks, descriptor, quality)
 * and the best photo to start headshots from.
 */
import sharp from 'sharp';
import type { LocalSubject, PreparedPhoto } from '../../../catalog/index.ts';
import { ProviderError, type ProviderImage } from '../provider.ts';
import type { FaceFinder, FacePhoto, FoundFace } from './faces.ts';

export const FACE_MODEL = 'face-api/ssd-mobilenetv1+landmark68+recognition';

/** The limits a photo must meet; measured on the package's sample portraits (docs/decisions/030). */
export const faceLimits = {
  /** The face box's shorter side, in the photo's own pixels. */
  minFacePx: 128,
  /** Variance of the Laplacian at 128×128: sharp portraits measured 99–192, a 2.5 px blur about 20. */
  minSharpness: 35,
  minBrightness: 55,
  maxBrightness: 215,
  maxClipped: 0.3,
  /** Euclidean distance between 128-d descriptors: one person 0.08–0.28, different people 0.68–0.77 on the samples. */
  maxSamePersonDistance: 0.55,
} as const;

export function descriptorDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** 1 for a face looking straight at the camera, lower as it turns (nose tip against the eyes' midpoint). */
function frontality(l: [number, number][]): number {
  const eyeL = mean(l.slice(36, 42));
  const eyeR = mean(l.slice(42, 48));
  const nose = l[30]!;
  const span = Math.hypot(eyeR[0] - eyeL[0], eyeR[1] - eyeL[1]) || 1;
  const off = Math.abs(nose[0] - (eyeL[0] + eyeR[0]) / 2) / span;
  return Math.max(0, 1 - off * 1.5);
}

function mean(points: [number, number][]): [number, number] {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

/** 0–1, higher is a better start for a headshot. */
export function qualityOf(face: FoundFace): number {
  const sharp = Math.min(1, face.sharpness / 150);
  const exposure = Math.max(0, 1 - Math.abs(face.brightness - 125) / 110) * (1 - Math.min(1, face.clipped * 2));
  const size = Math.min(1, Math.min(face.box.width, face.box.height) / 320);
  const q = 0.3 * sharp + 0.25 * exposure + 0.2 * size + 0.1 * face.score + 0.15 * frontality(face.landmarks);
  return Math.round(Math.max(0, Math.min(1, q)) * 1000) / 1000;
}

/** Why one photo cannot be used, or undefined when it can. */
export function refusalOf(photo: FacePhoto): string | undefined {
  if (photo.faces.length === 0) return 'no face was found';
  if (photo.faces.length > 1) return `it shows ${photo.faces.length} faces; use a photo of the person alone`;
  const f = photo.faces[0]!;
  const side = Math.round(Math.min(f.box.width, f.box.height));
  if (side < faceLimits.minFacePx) return `the face is ${side} px, under ${faceLimits.minFacePx} px; use a larger or closer photo`;
  if (f.brightness < faceLimits.minBrightness || (f.clipped > faceLimits.maxClipped && f.brightness < 128)) return 'the face is too dark';
  if (f.brightness > faceLimits.maxBrightness || f.clipped > faceLimits.maxClipped) return 'the face is overexposed';
  // After exposure: a dark face has little contrast and would read as blurred too.
  if (f.sharpness < faceLimits.minSharpness) return 'the face is blurred';
  return undefined;
}

const label = (i: number, image: ProviderImage): string => `photo ${i + 1} (${image.assetId})`;

/**
 * Finds and checks the face of every photo; throws `invalid_input` naming each refused photo, else
 * returns the prepared subject.
 */
export async function prepareSubject(images: ProviderImage[], finder: FaceFinder, signal?: AbortSignal): Promise<LocalSubject> {
  if (images.length < 1 || images.length > 5) throw new ProviderError('invalid_input', `a subject needs 1–5 photos, not ${images.length}`);
  const refusals: string[] = [];
  const photos: PreparedPhoto[] = [];
  for (const [i, image] of images.entries()) {
    const found = await finder.find(image.bytes, signal);
    const why = refusalOf(found);
    if (why) {
      refusals.push(`${label(i, image)}: ${why}`);
      continue;
    }
    const f = found.faces[0]!;
    photos.push({
      asset_id: image.assetId,
      width: found.width,
      height: found.height,
      box: f.box,
      landmarks: f.landmarks,
      descriptor: f.descriptor,
      quality: qualityOf(f),
      sharpness: Math.round(f.sharpness * 10) / 10,
      brightness: Math.round(f.brightness * 10) / 10,
    });
  }
  if (refusals.length > 0) throw new ProviderError('invalid_input', `These photos cannot make a headshot: ${refusals.join('; ')}.`);

  // One person: every photo is compared with the others; a photo far from the rest is the odd one.
  let maxDistance = 0;
  const far = new Set<number>();
  for (let a = 0; a < photos.length; a++) {
    const distances = photos.map((p, b) => (a === b ? 0 : descriptorDistance(photos[a]!.descriptor, p.descriptor)));
    maxDistance = Math.max(maxDistance, ...distances);
    const others = distances.filter((_, b) => b !== a);
    if (others.length > 0 && others.filter((d) => d > faceLimits.maxSamePersonDistance).length > others.length / 2) far.add(a);
  }
  if (far.size > 0) {
    const names = [...far].map((a) => label(images.findIndex((im) => im.assetId === photos[a]!.asset_id), images.find((im) => im.assetId === photos[a]!.asset_id)!));
    const what = far.size === photos.length ? 'the photos show different people' : 'it shows a different person from the other photos';
    throw new ProviderError('invalid_input', `These photos cannot make a headshot: ${names.map((n) => `${n}: ${what}`).join('; ')}.`);
  }
  const best = photos.reduce((a, b) => (b.quality > a.quality ? b : a));
  return { model: FACE_MODEL, photos, best_reference_asset_id: best.asset_id, max_distance: Math.round(maxDistance * 1000) / 1000 };
}

/** A square, face-centred crop of the best reference: the subject's preview. */
export async function previewOf(photo: Buffer, prepared: PreparedPhoto): Promise<Buffer> {
  const side = Math.round(Math.min(prepared.width, prepared.height, Math.max(prepared.box.width, prepared.box.height) * 2.2));
  const cx = prepared.box.x + prepared.box.width / 2;
  const cy = prepared.box.y + prepared.box.height / 2;
  const left = Math.max(0, Math.min(prepared.width - side, Math.round(cx - side / 2)));
  const top = Math.max(0, Math.min(prepared.height - side, Math.round(cy - side / 2)));
  return sharp(photo).rotate().extract({ left, top, width: side, height: side }).resize(512, 512).jpeg({ quality: 90, mozjpeg: true }).toBuffer();
}
