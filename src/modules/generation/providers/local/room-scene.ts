/**
 * room_scene: a rendered room — back wall, side wall, floor, ceiling line, skirting — with the
 * product on the back wall in perspective. As wallpaper the pattern is tiled at its real repeat
 * (pattern_repeat in cm against the wall's width in cm) and the papered wall is warped onto the
 * wall's quadrilateral; as artwork the cut-out hangs centred on the wall at its real width.
 */
import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { ProviderError } from '../provider.ts';
import { canvasFor, hex, mix } from './common.ts';
import { alphaBounds, fromLayer, svg, toLayer, type Layer } from './layers.ts';
import { lightingFor, sceneFor } from './look.ts';
import { noiseLayer } from './noise.ts';
import { warpOnto, type Point } from './perspective.ts';

export interface RoomParams {
  placement: 'wallpaper' | 'artwork';
  /** The pattern's repeat (wallpaper) or the artwork's width, in centimetres. */
  repeatCm: number;
  wallWidthCm: number;
  wallHeightCm: number;
  cameraAngle: string;
  aspectRatio: string;
  sceneType: string;
  lighting: string;
}

export interface RoomLayout {
  width: number;
  height: number;
  /** The back wall: top-left, top-right, bottom-right, bottom-left. */
  wall: Point[];
  /** How many times the pattern repeats across the wall (wallpaper). */
  repeatsAcross: number;
}

/** Parses `64cm`, `64 cm`, `0.64m`, `25in` or a bare number of centimetres. */
export function centimetres(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(cm|mm|m|in|")?\s*$/i.exec(value) : null;
  if (!m) throw new ProviderError('invalid_input', `${field} must be a length like 64cm, not ${JSON.stringify(value)}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'cm').toLowerCase();
  const cm = unit === 'mm' ? n / 10 : unit === 'm' ? n * 100 : unit === 'in' || unit === '"' ? n * 2.54 : n;
  if (cm <= 0) throw new ProviderError('invalid_input', `${field} must be more than zero`);
  return cm;
}

function wallQuad(angle: string, W: number, H: number): { wall: Point[]; side: 'left' | 'right' | 'both' } {
  const key = angle.toLowerCase().replace(/[\s-]+/g, '_');
  if (key === 'angled' || key === 'angled_left' || key === 'three_quarter' || key === 'corner') {
    return { wall: [[0.03 * W, 0.03 * H], [0.68 * W, 0.17 * H], [0.68 * W, 0.7 * H], [0.03 * W, 0.88 * H]], side: 'right' };
  }
  if (key === 'angled_right') {
    return { wall: [[0.32 * W, 0.17 * H], [0.97 * W, 0.03 * H], [0.97 * W, 0.88 * H], [0.32 * W, 0.7 * H]], side: 'left' };
  }
  if (key === 'high_angle') return { wall: [[0.1 * W, 0.02 * H], [0.9 * W, 0.02 * H], [0.9 * W, 0.58 * H], [0.1 * W, 0.58 * H]], side: 'both' };
  if (key === 'low_angle') return { wall: [[0.08 * W, 0.12 * H], [0.92 * W, 0.12 * H], [0.92 * W, 0.86 * H], [0.08 * W, 0.86 * H]], side: 'both' };
  return { wall: [[0.08 * W, 0.05 * H], [0.92 * W, 0.05 * H], [0.92 * W, 0.74 * H], [0.08 * W, 0.74 * H]], side: 'both' };
}

const pts = (p: Point[]): string => p.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');

export async function renderRoom(pattern: Layer, params: RoomParams, random: () => number): Promise<{ jpeg: Buffer; layout: RoomLayout }> {
  if (params.placement === 'wallpaper' && params.repeatCm > params.wallWidthCm) {
    throw new ProviderError('invalid_input', `the pattern repeat (${params.repeatCm} cm) is wider than the wall (${params.wallWidthCm} cm)`);
  }
  const { width: W, height: H } = canvasFor(params.aspectRatio);
  const palette = sceneFor(params.sceneType);
  const lighting = lightingFor(params.lighting);
  const { wall, side } = wallQuad(params.cameraAngle, W, H);
  const [tl, tr, br, bl] = wall as [Point, Point, Point, Point];

  // The wall as a flat texture at 1600 px across, then warped onto the quad.
  const TW = 1600;
  const TH = Math.round((TW * params.wallHeightCm) / params.wallWidthCm);
  const pxPerCm = TW / params.wallWidthCm;
  let texture: Sharp;
  let repeatsAcross = 0;
  if (params.placement === 'wallpaper') {
    const tileW = Math.max(2, Math.round(params.repeatCm * pxPerCm));
    const tileH = Math.max(2, Math.round((pattern.height * tileW) / pattern.width));
    const tile = await fromLayer(pattern).resize(tileW, tileH, { fit: 'fill', kernel: 'lanczos3' }).flatten({ background: hex(palette.wallTop) }).png().toBuffer();
    texture = sharp({ create: { width: TW, height: TH, channels: 4, background: hex(palette.wallTop) } }).composite([{ input: tile, tile: true, left: 0, top: 0 }]);
    repeatsAcross = params.wallWidthCm / params.repeatCm;
  } else {
    const box = alphaBounds(pattern);
    if (!box) throw new ProviderError('invalid_input', 'no artwork was found in the image (the cut-out is empty)');
    const art = await toLayer(fromLayer(pattern).extract(box));
    const aw = Math.min(TW * 0.8, Math.round(params.repeatCm * pxPerCm));
    const ah = Math.min(TH * 0.7, Math.round((art.height * aw) / art.width));
    const fitted = await fromLayer(art).resize(Math.round(aw), Math.round(ah), { fit: 'inside' }).png().toBuffer();
    const meta = await sharp(fitted).metadata();
    const left = Math.round((TW - meta.width) / 2);
    const top = Math.round(TH * 0.42 - meta.height / 2);
    const shadow = await sharp({ create: { width: meta.width, height: meta.height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0.45 } } })
      .extend({ top: 30, bottom: 30, left: 30, right: 30, background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .blur(12)
      .png()
      .toBuffer();
    texture = sharp({ create: { width: TW, height: TH, channels: 4, background: hex(palette.wallTop) } }).composite([
      { input: await noiseLayer(TW, TH, random, { x: 3, y: 3 }, 14, 0.8), blend: 'soft-light' },
      { input: shadow, left: left - 30 + 10, top: top - 30 + 14 },
      { input: fitted, left, top },
    ]);
  }
  const { data: texData, info } = await texture.raw().toBuffer({ resolveWithObject: true });
  const warped = warpOnto({ data: texData, width: info.width, height: info.height }, wall, { width: W, height: H });

  // The room around the wall.
  const wallDark = mix(palette.wallBottom, { r: 0, g: 0, b: 0 }, 0.18);
  const ceiling = mix(palette.wallTop, { r: 255, g: 255, b: 255 }, 0.4);
  let room =
    `<defs><linearGradient id="f" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${hex(palette.floorFar)}"/><stop offset="1" stop-color="${hex(palette.floorNear)}"/></linearGradient></defs>` +
    `<rect width="${W}" height="${H}" fill="${hex(ceiling)}"/>` +
    `<polygon points="${pts([bl, br, [W, H], [0, H]])}" fill="url(#f)"/>`;
  if (side !== 'left') room += `<polygon points="${pts([tr, [W, 0], [W, H], br])}" fill="${hex(wallDark)}"/><polygon points="${pts([br, [W, H], [W, H * 1.2]])}" fill="url(#f)"/>`;
  if (side !== 'right') room += `<polygon points="${pts([[0, 0], tl, bl, [0, H]])}" fill="${hex(wallDark)}"/>`;
  const floorPolygon = side === 'right' ? pts([bl, br, [W, H], [0, H]]) : side === 'left' ? pts([[0, H], bl, br, [W, H]]) : pts([[0, H], bl, br, [W, H]]);
  room += `<polygon points="${floorPolygon}" fill="url(#f)"/>`;
  const base = await sharp(svg(room, W, H)).removeAlpha().png().toBuffer();

  // Shading on the wall: light from the lighting's side, the receding end darker; a skirting board.
  const fromLeft = Math.cos((lighting.azimuth * Math.PI) / 180) < 0;
  const skirt = Math.max(3, (bl[1] - tl[1]) * 0.035);
  const skirtR = Math.max(3, (br[1] - tr[1]) * 0.035);
  const shading =
    `<defs><linearGradient id="s" x1="${fromLeft ? 0 : 1}" y1="0" x2="${fromLeft ? 1 : 0}" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="${lighting.pool * 0.35}"/><stop offset="1" stop-color="#000" stop-opacity="${0.12 + lighting.shadowOpacity * 0.2}"/></linearGradient></defs>` +
    `<polygon points="${pts(wall)}" fill="url(#s)"/>` +
    `<polygon points="${pts([[bl[0], bl[1] - skirt], [br[0], br[1] - skirtR], br, bl])}" fill="#f3f1ec"/>` +
    `<polygon points="${pts([bl, br, [br[0], br[1] + 3], [bl[0], bl[1] + 3]])}" fill="#000" fill-opacity="0.25"/>`;
  const overlays: OverlayOptions[] = [
    { input: await noiseLayer(W, H, random, { x: 2, y: 2 }, 16), blend: 'soft-light' },
    { input: warped, raw: { width: W, height: H, channels: 4 } },
    { input: svg(shading, W, H) },
  ];
  const jpeg = await sharp(base)
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer()
    .then((raw) =>
      sharp(raw, { raw: { width: W, height: H, channels: 3 } })
        .linear([lighting.tint.r, lighting.tint.g, lighting.tint.b], [0, 0, 0])
        .jpeg({ quality: 90, mozjpeg: true })
        .toBuffer(),
    );
  return { jpeg, layout: { width: W, height: H, wall, repeatsAcross } };
}
