/**
 * A headshot from a prepared subject (decision 031): the photo framed from its landmarks
 * (portrait-frame.ts), the person cut out by the segmenter on that frame, set on the chosen
 * backdrop with a soft separation shadow, and the whole graded for the style — a key light from
 * one side and a colour grade. Each variant draws its own zoom, placement, backdrop and grade.
 */
import sharp from 'sharp';
import { canvasFor } from './common.ts';
import { renderStudio, studioFor } from './headshot.ts';
import { fromLayer, svg, type Layer } from './layers.ts';
import { cropFrame, frameFor, keepFigure, type FaceGeometry } from './portrait-frame.ts';

export interface Grade {
  /** Per-channel gain and offset (sharp's linear). */
  gain: [number, number, number];
  offset: [number, number, number];
  saturation: number;
  /** Strength of the soft key light (0–1). */
  key: number;
}

export const grades: Record<string, Grade> = {
  neutral: { gain: [1, 1, 1], offset: [0, 0, 0], saturation: 1, key: 0.35 },
  warm: { gain: [1.06, 1.0, 0.92], offset: [4, 2, -2], saturation: 1.05, key: 0.4 },
  cool: { gain: [0.95, 1.0, 1.06], offset: [-2, 0, 4], saturation: 0.95, key: 0.35 },
  bright: { gain: [1.05, 1.05, 1.05], offset: [10, 10, 10], saturation: 0.92, key: 0.25 },
  contrast: { gain: [1.14, 1.14, 1.14], offset: [-16, -16, -16], saturation: 1.02, key: 0.5 },
  matte: { gain: [0.88, 0.88, 0.9], offset: [20, 19, 20], saturation: 0.85, key: 0.3 },
};

/** The grades that suit each backdrop; a variant draws one of them. */
const gradesFor: Record<string, string[]> = {
  studio_grey: ['neutral', 'contrast', 'cool', 'matte'],
  white: ['bright', 'neutral', 'matte'],
  black: ['contrast', 'neutral', 'warm'],
  corporate_blue: ['cool', 'neutral', 'contrast'],
  warm_beige: ['warm', 'matte', 'bright'],
  pastel_pink: ['bright', 'warm', 'matte'],
  office: ['cool', 'neutral', 'bright'],
  outdoor: ['warm', 'bright', 'neutral'],
  brick_wall: ['warm', 'contrast', 'matte'],
  gradient: ['neutral', 'warm', 'cool', 'matte'],
  bookshelf: ['warm', 'matte', 'contrast'],
};

/** Headshot styles of the catalog (the headshots preset) by the grade that renders them here. */
const gradeAliases: Record<string, string> = { corporate: 'neutral', professional: 'neutral', casual: 'warm', natural: 'warm', creative: 'contrast', editorial: 'contrast' };

/** The grade a style names, directly or as one of the catalog's headshot styles; undefined when none. */
export function gradeOf(style: string): string | undefined {
  const key = style.trim().toLowerCase();
  const name = grades[key] ? key : gradeAliases[key];
  return name && grades[name] ? name : undefined;
}

const backdropKey = (name: string): string => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

export interface PortraitParams {
  aspectRatio: '1:1' | '9:16' | '16:9' | string;
  /** The backdrop of this variant. */
  background: string;
  /** A grade by name; drawn from the backdrop's suitable grades when absent. */
  grade?: string | undefined;
}

export interface PortraitVariant {
  zoom: number;
  shift: number;
  grade: string;
  keyFromLeft: boolean;
}

/** The choices of variant i: zooms and placements are spread over the batch, not just drawn. */
export function variantOf(i: number, params: PortraitParams, random: () => number): PortraitVariant {
  const zooms = [3.7, 3.3, 4.2, 3.5, 3.9, 3.2, 4.4, 3.8];
  const shifts = [0, 0.08, -0.08, 0.04, -0.04, 0.1, -0.1, 0.02];
  const wide = params.aspectRatio === '16:9' ? 2.2 : 1;
  const choices = gradesFor[backdropKey(params.background)] ?? ['neutral', 'warm', 'cool', 'contrast'];
  const grade = params.grade && grades[params.grade] ? params.grade : choices[(i + Math.floor(random() * choices.length)) % choices.length]!;
  return { zoom: zooms[i % zooms.length]! + (random() - 0.5) * 0.15, shift: shifts[i % shifts.length]! * wide, grade, keyFromLeft: (i + Math.floor(random() * 2)) % 2 === 0 };
}

export interface PortraitResult {
  jpeg: Buffer;
  width: number;
  height: number;
  variant: PortraitVariant;
}

export type CutOut = (png: Buffer) => Promise<Layer>;

/**
 * Edge colour clean-up: a half-transparent pixel of hair still carries the old background's
 * colour, which shows as a fringe on the new one. Its colour is replaced by the figure's own colour
 * nearby — a normalised blur of the opaque pixels (sum of colour × opacity over sum of opacity).
 */
export async function decontaminate(rgbaIn: Buffer, alpha: Buffer, W: number, H: number): Promise<Buffer> {
  const solid = Buffer.alloc(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    if (alpha[i]! < 250) continue;
    solid[i * 4] = rgbaIn[i * 4]!;
    solid[i * 4 + 1] = rgbaIn[i * 4 + 1]!;
    solid[i * 4 + 2] = rgbaIn[i * 4 + 2]!;
    solid[i * 4 + 3] = 255;
  }
  const sigma = Math.max(2, W / 150);
  // sharp blurs premultiplied RGBA and un-premultiplies, which is exactly the normalised blur.
  const spread = await sharp(solid, { raw: { width: W, height: H, channels: 4 } }).blur(sigma).raw().toBuffer();
  const out = Buffer.from(rgbaIn);
  for (let i = 0; i < W * H; i++) {
    const a = alpha[i]!;
    if (a >= 250 || a === 0 || spread[i * 4 + 3]! < 8) continue;
    // Partly transparent: mostly the figure's nearby colour, a little of its own for texture.
    const k = 0.75 * (1 - a / 255);
    for (let c = 0; c < 3; c++) out[i * 4 + c] = Math.round(rgbaIn[i * 4 + c]! * (1 - k) + spread[i * 4 + c]! * k);
  }
  return out;
}

export async function composePortrait(photo: Buffer, face: FaceGeometry, params: PortraitParams, variant: PortraitVariant, cutOut: CutOut, random: () => number): Promise<PortraitResult> {
  const [aw, ah] = params.aspectRatio.split(':').map(Number);
  const { width: W, height: H } = canvasFor(params.aspectRatio, 1.0);
  const frame = frameFor(face, { aspect: aw! / ah!, zoom: variant.zoom, shift: variant.shift });
  const framed = await cropFrame(photo, frame, W, H);
  const person = await cutOut(framed);
  const studio = studioFor(params.background);
  const backdrop = await renderStudio(studio, W, H, random);

  // Hair: a touch of feathering where the matte is partial keeps strands from looking cut with scissors.
  const alpha = await fromLayer(person).extractChannel(3).raw().toBuffer();
  keepFigure(alpha, W, H, frame.eyes);
  const soft = await sharp(alpha, { raw: { width: W, height: H, channels: 1 } }).blur(0.6).extractChannel(0).raw().toBuffer();
  for (let i = 0; i < soft.length; i++) if (alpha[i]! >= 250) soft[i] = alpha[i]!;
  const rgba = await decontaminate(person.data, alpha, W, H);
  for (let i = 0; i < soft.length; i++) rgba[i * 4 + 3] = soft[i]!;
  const personPng = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer();

  // A soft shadow just behind and below the figure separates it from the backdrop.
  const shadowAlpha = await sharp(alpha, { raw: { width: W, height: H, channels: 1 } }).blur(Math.max(2, W / 60)).linear(0.35, 0).extractChannel(0).raw().toBuffer();
  const dx = Math.round(W * 0.012 * (variant.keyFromLeft ? 1 : -1));
  const dy = Math.round(H * 0.01);
  const shadowRgba = Buffer.alloc(W * H * 4);
  for (let y = Math.max(0, dy); y < H; y++) {
    for (let x = Math.max(0, dx); x < Math.min(W, W + dx); x++) shadowRgba[(y * W + x) * 4 + 3] = shadowAlpha[(y - dy) * W + (x - dx)]!;
  }
  const shadow = await sharp(shadowRgba, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer();

  const g = grades[variant.grade]!;
  const x1 = variant.keyFromLeft ? 0 : 1;
  const key = svg(
    `<defs><linearGradient id="k" x1="${x1}" y1="0" x2="${1 - x1}" y2="0.3"><stop offset="0" stop-color="#ffffff" stop-opacity="${g.key}"/><stop offset="0.55" stop-color="#808080" stop-opacity="0"/><stop offset="1" stop-color="#000000" stop-opacity="${g.key * 0.6}"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#k)"/>`,
    W,
    H,
  );
  const composed = await sharp(backdrop, { raw: { width: W, height: H, channels: 3 } })
    .composite([
      { input: shadow, left: 0, top: 0 },
      { input: personPng, left: 0, top: 0 },
      { input: key, blend: 'soft-light' },
    ])
    .removeAlpha()
    .raw()
    .toBuffer();
  const jpeg = await sharp(composed, { raw: { width: W, height: H, channels: 3 } })
    .linear(g.gain, g.offset)
    .modulate({ saturation: g.saturation })
    .jpeg({ quality: 92, mozjpeg: true })
    .toBuffer();
  return { jpeg, width: W, height: H, variant };
}
