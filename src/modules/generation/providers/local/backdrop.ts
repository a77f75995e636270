/**
 * Rendered backdrops: a wall and a floor (or one seamless studio sweep), a pool of light where the
 * key light falls, a vignette, and a texture for each surface made from seeded noise. Everything is
 * SVG rasterised by sharp (librsvg) plus noise layers blended with soft-light.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { hex, mix, type Rgb } from './common.ts';
import { svg } from './layers.ts';
import { noiseLayer as noise } from './noise.ts';
import type { Camera, Lighting, ScenePalette, Texture } from './look.ts';

export interface BackdropSpec {
  width: number;
  height: number;
  palette: ScenePalette;
  lighting: Lighting;
  camera: Camera;
  /** One continuous sweep from wall to floor (a studio cyclorama) instead of a visible horizon. */
  seamless: boolean;
  random: () => number;
}

/** A texture for one surface, as a soft-light overlay (mid-grey = no change). */
async function texture(kind: Texture, width: number, height: number, random: () => number): Promise<OverlayOptions[]> {
  if (kind === 'none' || width < 2 || height < 2) return [];
  const layers: Buffer[] = [];
  switch (kind) {
    case 'plaster':
      layers.push(await noise(width, height, random, { x: 3, y: 3 }, 18, 0.8), await noise(width, height, random, { x: 60, y: 60 }, 14, 8));
      break;
    case 'concrete':
      layers.push(await noise(width, height, random, { x: 2, y: 2 }, 30, 0.6), await noise(width, height, random, { x: 40, y: 40 }, 30, 10));
      break;
    case 'sand':
      layers.push(await noise(width, height, random, { x: 1.5, y: 1.5 }, 40), await noise(width, height, random, { x: 80, y: 20 }, 16, 6));
      break;
    case 'grass':
      layers.push(await noise(width, height, random, { x: 2, y: 10 }, 70, 0.5), await noise(width, height, random, { x: 50, y: 30 }, 30, 6));
      break;
    case 'fabric':
      layers.push(await noise(width, height, random, { x: 1, y: 4 }, 22), await noise(width, height, random, { x: 4, y: 1 }, 22));
      break;
    case 'wood': {
      layers.push(await noise(width, height, random, { x: 120, y: 1.5 }, 50, 0.4));
      const plank = Math.max(12, Math.round(height / 7));
      let lines = '';
      for (let y = plank; y < height; y += plank) lines += `<rect x="0" y="${y}" width="${width}" height="2" fill="#000" fill-opacity="0.35"/>`;
      for (let y = 0; y < height; y += plank) {
        const x = Math.round(random() * width);
        lines += `<rect x="${x}" y="${y}" width="2" height="${plank}" fill="#000" fill-opacity="0.3"/>`;
      }
      layers.push(await sharp(svg(`<rect width="100%" height="100%" fill="#808080"/>${lines}`, width, height)).png().toBuffer());
      break;
    }
    case 'tile': {
      const size = Math.max(16, Math.round(Math.min(width, height) / 6));
      let grid = '';
      for (let x = size; x < width; x += size) grid += `<rect x="${x}" y="0" width="2" height="${height}" fill="#ffffff" fill-opacity="0.7"/>`;
      for (let y = size; y < height; y += size) grid += `<rect x="0" y="${y}" width="${width}" height="2" fill="#ffffff" fill-opacity="0.7"/>`;
      layers.push(await sharp(svg(`<rect width="100%" height="100%" fill="#808080"/>${grid}`, width, height)).png().toBuffer());
      layers.push(await noise(width, height, random, { x: 30, y: 30 }, 10, 4));
      break;
    }
    case 'marble': {
      layers.push(await noise(width, height, random, { x: 50, y: 50 }, 20, 12));
      let veins = '';
      for (let i = 0; i < 5; i++) {
        let d = `M ${random() * width} 0`;
        for (let k = 1; k <= 4; k++) d += ` Q ${random() * width} ${(k - 0.5) * (height / 4)} ${random() * width} ${k * (height / 4)}`;
        veins += `<path d="${d}" stroke="#404040" stroke-opacity="0.5" stroke-width="${1 + random() * 2}" fill="none"/>`;
      }
      layers.push(await sharp(svg(`<rect width="100%" height="100%" fill="#808080"/>${veins}`, width, height)).blur(0.8).png().toBuffer());
      break;
    }
  }
  return layers.map((input) => ({ input, blend: 'soft-light' as const }));
}

/** The backdrop as raw RGB. */
export async function renderBackdrop(spec: BackdropSpec): Promise<Buffer> {
  const { width: W, height: H, palette: p, lighting: l, camera, random } = spec;
  const horizon = Math.round(H * camera.horizon);
  const stop = (offset: number, colour: Rgb): string => `<stop offset="${offset.toFixed(3)}" stop-color="${hex(colour)}"/>`;
  let surfaces: string;
  if (camera.horizon === 0) {
    surfaces = `<defs><linearGradient id="f" x1="0" y1="0" x2="0" y2="1">${stop(0, p.floorFar)}${stop(1, p.floorNear)}</linearGradient></defs><rect width="${W}" height="${H}" fill="url(#f)"/>`;
  } else if (spec.seamless) {
    const h = camera.horizon;
    surfaces = `<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1">${stop(0, p.wallTop)}${stop(Math.max(0, h - 0.12), p.wallBottom)}${stop(Math.min(1, h + 0.12), p.floorFar)}${stop(1, p.floorNear)}</linearGradient></defs><rect width="${W}" height="${H}" fill="url(#s)"/>`;
  } else {
    // The skirting line where wall meets floor, a shade darker than both.
    surfaces =
      `<defs><linearGradient id="w" x1="0" y1="0" x2="0" y2="1">${stop(0, p.wallTop)}${stop(1, p.wallBottom)}</linearGradient>` +
      `<linearGradient id="f" x1="0" y1="0" x2="0" y2="1">${stop(0, p.floorFar)}${stop(1, p.floorNear)}</linearGradient></defs>` +
      `<rect width="${W}" height="${horizon}" fill="url(#w)"/><rect y="${horizon}" width="${W}" height="${H - horizon}" fill="url(#f)"/>` +
      `<rect y="${horizon - Math.max(2, H * 0.012)}" width="${W}" height="${Math.max(2, H * 0.012)}" fill="${hex(mix(p.wallBottom, { r: 0, g: 0, b: 0 }, 0.2))}"/>`;
  }
  const base = await sharp(svg(surfaces, W, H)).removeAlpha().png().toBuffer();
  const overlays: OverlayOptions[] = [];
  if (spec.seamless || camera.horizon === 0) {
    overlays.push(...(await texture(camera.horizon === 0 ? p.floorTexture : p.wallTexture, W, H, random)));
  } else {
    overlays.push(...(await texture(p.wallTexture, W, horizon, random)).map((o) => ({ ...o, left: 0, top: 0 })));
    overlays.push(...(await texture(p.floorTexture, W, H - horizon, random)).map((o) => ({ ...o, left: 0, top: horizon })));
  }
  // The key light's pool on the backdrop, on the side the light comes from; then a vignette.
  const az = (l.azimuth * Math.PI) / 180;
  const px = 0.5 + Math.cos(az) * 0.32;
  const py = camera.horizon === 0 ? 0.5 - Math.sin(az) * 0.3 : Math.max(0.15, camera.horizon - 0.25);
  const warm = hex({ r: 255 * Math.min(1, l.tint.r), g: 255 * Math.min(1, l.tint.g), b: 255 * Math.min(1, l.tint.b) });
  const light =
    `<defs><radialGradient id="p" cx="${px}" cy="${py}" r="0.6"><stop offset="0" stop-color="${warm}" stop-opacity="${l.pool}"/><stop offset="1" stop-color="${warm}" stop-opacity="0"/></radialGradient>` +
    `<radialGradient id="v" cx="0.5" cy="0.5" r="0.75"><stop offset="0.55" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="${0.2 + (1 - l.brightness) * 0.8}"/></radialGradient></defs>` +
    `<rect width="${W}" height="${H}" fill="url(#p)"/><rect width="${W}" height="${H}" fill="url(#v)"/>`;
  overlays.push({ input: svg(light, W, H) });
  return sharp(base).composite(overlays).removeAlpha().raw().toBuffer();
}
