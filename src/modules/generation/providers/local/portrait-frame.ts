/**
 * Framing a headshot from a face's landmarks: the photo is turned so the eyes are level, then
 * cropped head-and-shoulders at the requested aspect ratio with the eyes where portrait
 * photographers put them (about two fifths down; a third in a tall frame), the zoom and the
 * sideways placement varied per variant. The frame may reach a little past the photo's top and
 * sides (the person is cut out, so the backdrop fills it; edge pixels are repeated for the cutter),
 * but never past its bottom: a figure must not end in mid-air above the frame's bottom edge. A
 * frame larger than that allows is shrunk and moved to fit.
 */
import sharp from 'sharp';

export type Point = [number, number];

/** How far past the photo's top and sides a frame may reach, as a share of the frame. */
const OVER = 0.2;

export interface FaceGeometry {
  width: number;
  height: number;
  box: { x: number; y: number; width: number; height: number };
  landmarks: Point[];
}

export interface Frame {
  /** Degrees the photo is turned clockwise before cropping (levels the eyes). */
  rotate: number;
  /** The eyes' midpoint as a share of the frame's width and height. */
  eyes: Point;
  /** The crop, in the turned photo's pixels (may reach past its edges). */
  left: number;
  top: number;
  width: number;
  height: number;
}

function centre(points: Point[]): Point {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

/** Where a point lands when the photo (w×h) is turned by `deg` clockwise about its centre and the canvas grown to fit, as sharp does. */
export function turned(p: Point, w: number, h: number, deg: number): { point: Point; width: number; height: number } {
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const W = Math.abs(w * cos) + Math.abs(h * sin);
  const H = Math.abs(w * sin) + Math.abs(h * cos);
  const dx = p[0] - w / 2;
  const dy = p[1] - h / 2;
  return { point: [cos * dx - sin * dy + W / 2, sin * dx + cos * dy + H / 2], width: W, height: H };
}

export interface FrameOptions {
  aspect: number;
  /** Frame height in face heights (around 3 for head and shoulders). */
  zoom: number;
  /** Sideways shift of the face from the centre, as a share of the frame's width. */
  shift: number;
}

export function frameFor(face: FaceGeometry, o: FrameOptions): Frame {
  const eyeR = centre(face.landmarks.slice(36, 42));
  const eyeL = centre(face.landmarks.slice(42, 48));
  let rotate = (-Math.atan2(eyeL[1] - eyeR[1], eyeL[0] - eyeR[0]) * 180) / Math.PI;
  // Small tilts are left as they are; large ones are only partly corrected (a tilted head is a pose).
  if (Math.abs(rotate) < 1) rotate = 0;
  rotate = Math.max(-15, Math.min(15, rotate));
  const eyes: Point = [(eyeR[0] + eyeL[0]) / 2, (eyeR[1] + eyeL[1]) / 2];
  const at = turned(eyes, face.width, face.height, rotate).point;
  const faceH = Math.max(face.box.height, face.box.width);
  const tall = o.aspect < 0.8;
  const wide = o.aspect > 1.25;
  const height = faceH * o.zoom * (tall ? 1.3 : wide ? 0.92 : 1);
  const width = height * o.aspect;
  const eyeLine = tall ? 0.34 : 0.4;
  // The turned photo's corners are filled, not photographed: keep inside the part that is.
  const t = turned([0, 0], face.width, face.height, rotate);
  const sin = Math.abs(Math.sin((rotate * Math.PI) / 180));
  const inset = { x: face.height * sin, y: face.width * sin };
  const area = { left: inset.x, top: inset.y, width: t.width - 2 * inset.x, height: t.height - 2 * inset.y };
  // Shrink to fit, but never below two face heights (the head itself must stay whole).
  const fit = Math.max((faceH * 2) / height, Math.min(1, area.width / (width * (1 - 2 * OVER)), area.height / (height * (1 - OVER))));
  const w = width * fit;
  const h = height * fit;
  const clamp = (v: number, lo: number, hi: number): number => (lo <= hi ? Math.max(lo, Math.min(hi, v)) : (lo + hi) / 2);
  const left = clamp(at[0] - w / 2 - o.shift * w, area.left - OVER * w, area.left + area.width + OVER * w - w);
  const top = clamp(at[1] - eyeLine * h, area.top - OVER * h, area.top + area.height - h);
  const frameH = Math.round(h);
  // Rounded so that a frame which fits keeps its bottom edge on or above the photo's.
  const frameTop = top + h <= area.top + area.height ? Math.min(Math.round(top), Math.floor(area.top + area.height) - frameH) : Math.round(top);
  return { rotate, eyes: [(at[0] - left) / w, (at[1] - top) / h], left: Math.round(left), top: frameTop, width: Math.round(w), height: frameH };
}

/** The frame cut out of the photo and resized to W×H, as PNG bytes. */
export async function cropFrame(photo: Buffer, frame: Frame, W: number, H: number): Promise<Buffer> {
  let img = sharp(photo).rotate().toColourspace('srgb').removeAlpha();
  if (frame.rotate !== 0) img = sharp(await img.rotate(frame.rotate, { background: '#808080' }).png().toBuffer());
  const meta = await img.metadata();
  const pw = meta.width!;
  const ph = meta.height!;
  const padL = Math.max(0, -frame.left);
  const padT = Math.max(0, -frame.top);
  const padR = Math.max(0, frame.left + frame.width - pw);
  const padB = Math.max(0, frame.top + frame.height - ph);
  if (padL || padT || padR || padB) img = sharp(await img.extend({ left: padL, top: padT, right: padR, bottom: padB, extendWith: 'copy' }).png().toBuffer());
  return img
    .extract({ left: frame.left + padL, top: frame.top + padT, width: frame.width, height: frame.height })
    .resize(W, H, { kernel: 'lanczos3', fit: 'fill' })
    .sharpen({ sigma: 0.6 })
    .png()
    .toBuffer();
}

/**
 * Keeps only the figure the face belongs to: the cutter also keeps people beside the subject, so
 * every opaque region not connected to the face is cleared (a few pixels of margin keep the soft
 * edge of the figure's own hair).
 */
export function keepFigure(alpha: Uint8Array | Buffer, width: number, height: number, seed: Point, margin = 6): void {
  const solid = 96;
  const seen = new Uint8Array(width * height);
  const sx = Math.max(0, Math.min(width - 1, Math.round(seed[0] * width)));
  let sy = Math.max(0, Math.min(height - 1, Math.round(seed[1] * height)));
  if (alpha[sy * width + sx]! < solid) {
    // The eyes' midpoint is on the face; should the matte have a hole there, start from the nearest solid pixel below.
    while (sy < height - 1 && alpha[sy * width + sx]! < solid) sy++;
    if (alpha[sy * width + sx]! < solid) return;
  }
  const stack = [sy * width + sx];
  seen[stack[0]!] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    const y = (i - x) / width;
    const next = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1];
    for (const j of next) {
      if (j >= 0 && !seen[j] && alpha[j]! >= solid) {
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
  // Grow the kept region by `margin` pixels (one 4-neighbour step per pass).
  const keep = new Uint8Array(seen);
  for (let pass = 0; pass < margin; pass++) {
    const prev = new Uint8Array(keep);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (prev[i]) continue;
        if ((x > 0 && prev[i - 1]) || (x < width - 1 && prev[i + 1]) || (y > 0 && prev[i - width]) || (y < height - 1 && prev[i + width])) keep[i] = 1;
      }
    }
  }
  for (let i = 0; i < keep.length; i++) if (!keep[i]) alpha[i] = 0;
}
