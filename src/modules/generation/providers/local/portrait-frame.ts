/**
 * Framing a headshot from a face's landmarks: the photo is turned so the eyes are level, then
 * cropped head-and-shoulders at the requested aspect ratio with the eyes where portrait
 * photographers put them (about two fifths down; a third in a tall frame), the zoom and the
 * sideways placement varied per variant. Where the frame reaches past the photo, its edge pixels
 * are repeated (the person is cut out afterwards, so only the figure's own continuation matters).
 */
import sharp from 'sharp';

export type Point = [number, number];

export interface FaceGeometry {
  width: number;
  height: number;
  box: { x: number; y: number; width: number; height: number };
  landmarks: Point[];
}

export interface Frame {
  /** Degrees the photo is turned clockwise before cropping (levels the eyes). */
  rotate: number;
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
  const left = at[0] - width / 2 - o.shift * width;
  const top = at[1] - eyeLine * height;
  return { rotate, left: Math.round(left), top: Math.round(top), width: Math.round(width), height: Math.round(height) };
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
