/**
 * headshot: the subject, cut out, on a studio backdrop — a solid colour (`#rrggbb`), a two-colour
 * gradient (`gradient:#top,#bottom`) or a named backdrop. The subject fills most of the height,
 * bottom-aligned like a portrait crop, with a soft separation shadow behind it.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { ProviderError } from '../provider.ts';
import { canvasFor, hex, mix, parseColour, type Rgb } from './common.ts';
import { alphaBounds, fromLayer, placed, svg, tintedMask, toLayer, type Layer } from './layers.ts';
import { noiseLayer } from './noise.ts';

interface Studio {
  centre: string;
  edge: string;
  /** Blurred shapes behind the subject (out-of-focus windows, foliage, bricks). */
  scenery?: 'windows' | 'foliage' | 'bricks';
}

export const studioBackdrops: Record<string, Studio> = {
  studio_grey: { centre: '#a3a3a3', edge: '#4b4b4b' },
  white: { centre: '#fbfbfb', edge: '#dedede' },
  black: { centre: '#2a2a2a', edge: '#050505' },
  corporate_blue: { centre: '#4f7fb3', edge: '#1b3152' },
  warm_beige: { centre: '#eadcc8', edge: '#b79c78' },
  pastel_pink: { centre: '#f6d9de', edge: '#d9a7b1' },
  office: { centre: '#cfd6dd', edge: '#7d8893', scenery: 'windows' },
  outdoor: { centre: '#b7d3a0', edge: '#4f6f3a', scenery: 'foliage' },
  brick_wall: { centre: '#a4644a', edge: '#5a3325', scenery: 'bricks' },
  gradient: { centre: '#e4ebf3', edge: '#5f7391' },
  // Warm wood with out-of-focus rows behind the subject: the catalog's `bookshelf` background.
  bookshelf: { centre: '#a07a56', edge: '#3e2b1d', scenery: 'bricks' },
};

export function backdropNames(): string[] {
  return Object.keys(studioBackdrops);
}

export function studioFor(name: string): Studio {
  const key = name.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (studioBackdrops[key]) return studioBackdrops[key]!;
  if (key === 'grey' || key === 'gray' || key === 'studio') return studioBackdrops.studio_grey!;
  if (key === 'blue') return studioBackdrops.corporate_blue!;
  if (name.startsWith('#')) {
    const c = parseColour(name, 'background');
    return { centre: hex(mix(c, { r: 255, g: 255, b: 255 }, 0.08)), edge: hex(mix(c, { r: 0, g: 0, b: 0 }, 0.12)) };
  }
  const g = /^gradient:\s*(#[0-9a-f]{3,6})\s*,\s*(#[0-9a-f]{3,6})$/i.exec(name.trim());
  if (g) return { centre: hex(parseColour(g[1]!, 'background')), edge: hex(parseColour(g[2]!, 'background')) };
  throw new ProviderError('invalid_input', `unknown background ${JSON.stringify(name)}: use #rrggbb, gradient:#top,#bottom or one of ${backdropNames().join(', ')}`);
}

export async function renderStudio(studio: Studio, W: number, H: number, random: () => number): Promise<Buffer> {
  const cx = 0.5 + (random() - 0.5) * 0.2;
  const cy = 0.35 + (random() - 0.5) * 0.1;
  const gradient = studio.edge && studio.centre
    ? `<defs><radialGradient id="b" cx="${cx}" cy="${cy}" r="0.85"><stop offset="0" stop-color="${studio.centre}"/><stop offset="1" stop-color="${studio.edge}"/></radialGradient></defs><rect width="100%" height="100%" fill="url(#b)"/>`
    : '';
  let scenery = '';
  if (studio.scenery === 'windows') {
    for (let x = 0.05; x < 1; x += 0.22) scenery += `<rect x="${(x + random() * 0.03) * W}" y="${0.08 * H}" width="${0.14 * W}" height="${0.55 * H}" fill="#ffffff" fill-opacity="0.55"/>`;
  } else if (studio.scenery === 'foliage') {
    for (let i = 0; i < 40; i++) scenery += `<circle cx="${random() * W}" cy="${random() * H * 0.8}" r="${(0.02 + random() * 0.06) * W}" fill="${random() > 0.5 ? '#e8f5c8' : '#2f5a25'}" fill-opacity="${0.25 + random() * 0.4}"/>`;
  } else if (studio.scenery === 'bricks') {
    const bh = H / 18;
    const bw = bh * 2.6;
    for (let row = 0; row * bh < H; row++) {
      for (let x = (row % 2) * -bw * 0.5; x < W; x += bw) scenery += `<rect x="${x + 2}" y="${row * bh + 2}" width="${bw - 4}" height="${bh - 4}" fill="#7a3d28" fill-opacity="${0.3 + random() * 0.35}"/>`;
    }
  }
  let img = sharp(svg(gradient + scenery, W, H)).removeAlpha();
  // Scenery is out of focus, as behind a portrait at a wide aperture.
  if (scenery) img = sharp(await img.png().toBuffer()).blur(Math.max(2, W / 90));
  const grain = await noiseLayer(W, H, random, { x: 2, y: 2 }, 10);
  return sharp(await img.png().toBuffer()).composite([{ input: grain, blend: 'soft-light' }]).removeAlpha().raw().toBuffer();
}

export interface HeadshotParams {
  background: string;
  aspectRatio: string;
}

export async function composeHeadshot(subject: Layer, params: HeadshotParams, random: () => number): Promise<{ jpeg: Buffer; subjectBox: { left: number; top: number; width: number; height: number }; width: number; height: number }> {
  const studio = studioFor(params.background);
  const { width: W, height: H } = canvasFor(params.aspectRatio, 1.0);
  const box = alphaBounds(subject);
  if (!box) throw new ProviderError('invalid_input', 'no subject was found in the photo (the cut-out is empty)');
  const trimmedSubject = await toLayer(fromLayer(subject).extract(box));
  const scale = Math.min((H * (0.86 + random() * 0.06)) / trimmedSubject.height, (W * 0.92) / trimmedSubject.width);
  const sw = Math.max(1, Math.round(trimmedSubject.width * scale));
  const sh = Math.max(1, Math.round(trimmedSubject.height * scale));
  const person = await toLayer(fromLayer(trimmedSubject).resize(sw, sh, { kernel: 'lanczos3', fit: 'fill' }));
  const left = Math.round((W - sw) / 2 + (random() - 0.5) * W * 0.06);
  const top = H - sh;
  const backdrop = await renderStudio(studio, W, H, random);
  // A soft dark halo just behind the subject separates it from the backdrop.
  const alpha = await fromLayer(person).extractChannel(3).raw().toBuffer();
  const pad = Math.round(sw * 0.06);
  const haloAlpha = await sharp(alpha, { raw: { width: sw, height: sh, channels: 1 } })
    .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#000' })
    .blur(Math.max(1, sw * 0.03))
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const halo = await tintedMask(haloAlpha.data, haloAlpha.info.width, haloAlpha.info.height, { r: 0, g: 0, b: 0 } as Rgb, 0.3);
  const overlays = [await placed(halo, left - pad + sw * 0.02, top - pad + sh * 0.015, { width: W, height: H }), await placed(person, left, top, { width: W, height: H })].filter(
    (o): o is OverlayOptions => o !== null,
  );
  const jpeg = await sharp(backdrop, { raw: { width: W, height: H, channels: 3 } }).composite(overlays).jpeg({ quality: 92, mozjpeg: true }).toBuffer();
  return { jpeg, subjectBox: { left, top, width: sw, height: sh }, width: W, height: H };
}
