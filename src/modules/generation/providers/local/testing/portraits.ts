/**
 * Portrait photos for tests and the bench, cut on the spot from the sample photos that the
 * `@vladmandic/face-api` npm package ships in its `demo/` folder (the author's own group photos,
 * MIT-licensed with the package; read from node_modules, never copied into this repository). Each
 * portrait is one person's head and shoulders from one sample, optionally mirrored, re-lit or
 * blurred, so "three photos of one person" are three different crops and treatments of the same
 * face; "another person" is a face from another sample; "two people" is a crop holding two faces.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);
/** The package's sample photos (sample1.jpg … sample6.jpg). */
export const demo = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');

/** Face boxes in the full-size samples (measured once with the face finder). */
const faces = {
  /** sample1.jpg, the woman on the left. */
  ava: { sample: 1, x: 414, y: 354, w: 177, h: 240 },
  /** sample1.jpg, the woman on the right. */
  bea: { sample: 1, x: 1476, y: 199, w: 203, h: 239 },
  /** sample3.jpg, the woman on the left. */
  cleo: { sample: 3, x: 585, y: 328, w: 199, h: 272 },
} as const;
export type PortraitPerson = keyof typeof faces;

export interface PortraitOptions {
  /** Crop width in face widths (default 3). */
  zoom?: number;
  /** Shift of the crop, in face widths (default 0, 0). */
  shift?: [number, number];
  mirror?: boolean;
  /** Multiplies brightness (default 1). */
  light?: number;
  blur?: number;
  /** Longest side of the result (default: the crop's own size). */
  size?: number;
}

/** One person's head-and-shoulders portrait, 4:5, as a JPEG. */
export async function portrait(person: PortraitPerson, o: PortraitOptions = {}): Promise<Buffer> {
  const f = faces[person];
  const src = sharp(join(demo, `sample${f.sample}.jpg`));
  const meta = await src.metadata();
  const cw = Math.round(f.w * (o.zoom ?? 3));
  const ch = Math.round(cw * 1.25);
  const cx = f.x + f.w / 2 + (o.shift?.[0] ?? 0) * f.w;
  const top = f.y - 0.45 * f.h * (o.zoom ?? 3) * 0.5 + (o.shift?.[1] ?? 0) * f.w;
  const left = Math.max(0, Math.min(meta.width! - cw, Math.round(cx - cw / 2)));
  const t = Math.max(0, Math.min(meta.height! - ch, Math.round(top)));
  let img = src.extract({ left, top: t, width: Math.min(cw, meta.width! - left), height: Math.min(ch, meta.height! - t) });
  if (o.mirror) img = img.flop();
  if (o.light !== undefined) img = img.modulate({ brightness: o.light });
  if (o.blur) img = img.blur(o.blur);
  if (o.size) img = img.resize(o.size, o.size, { fit: 'inside' });
  return img.jpeg({ quality: 90 }).toBuffer();
}

/** Two people side by side (sample1's left and middle women), as a JPEG. */
export async function twoPeople(): Promise<Buffer> {
  return sharp(join(demo, 'sample1.jpg')).extract({ left: 260, top: 200, width: 900, height: 720 }).jpeg({ quality: 90 }).toBuffer();
}
