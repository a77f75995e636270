/**
 * model_shot and lifestyle: the cut-out product stands on a rendered backdrop, lit from the side the
 * lighting preset names, with a cast shadow thrown away from the light, a soft contact shadow where
 * it touches the floor and, on glossy floors, a fading reflection. The canvas follows aspect_ratio;
 * camera_angle sets the horizon, the product's size and how much floor the shadow and reflection use.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { ProviderError } from '../provider.ts';
import { canvasFor } from './common.ts';
import { renderBackdrop } from './backdrop.ts';
import { alphaBounds, fromLayer, joinAlpha, placed, svg, tintedMask, toLayer, type Layer } from './layers.ts';
import { cameraFor, lightingFor, sceneFor, type Camera, type Lighting } from './look.ts';

export interface SceneParams {
  sceneType: string;
  lighting: string;
  cameraAngle: string;
  aspectRatio: string;
}

export interface SceneLayout {
  width: number;
  height: number;
  /** Where the product landed on the canvas. */
  product: { left: number; top: number; width: number; height: number };
  lightFromLeft: boolean;
  reflection: boolean;
}

/** The product trimmed to its visible pixels. */
async function trimmed(cutout: Layer): Promise<Layer> {
  const box = alphaBounds(cutout);
  if (!box) throw new ProviderError('invalid_input', 'no product was found in the image (the cut-out is empty)');
  return toLayer(fromLayer(cutout).extract(box));
}

/** Light from one side: the near side of the product a little brighter, the far side darker. */
async function shade(product: Layer, lighting: Lighting): Promise<Layer> {
  const fromLeft = Math.cos((lighting.azimuth * Math.PI) / 180) < 0;
  const strength = 0.25 + (1 - lighting.elevation) * 0.35;
  const g = `<defs><linearGradient id="g" x1="${fromLeft ? 0 : 1}" y1="0" x2="${fromLeft ? 1 : 0}" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="${strength}"/><stop offset="0.5" stop-color="#808080" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="${strength}"/></linearGradient></defs><rect width="100%" height="100%" fill="#808080"/><rect width="100%" height="100%" fill="url(#g)"/>`;
  const alpha = await fromLayer(product).extractChannel(3).raw().toBuffer();
  const rgb = await fromLayer(product)
    .removeAlpha()
    .composite([{ input: await sharp(svg(g, product.width, product.height)).removeAlpha().png().toBuffer(), blend: 'soft-light' }])
    .raw()
    .toBuffer();
  return joinAlpha(rgb, alpha, product.width, product.height);
}

/** The cast shadow and where its top-left goes relative to the product's base-left (dx) and base/top (dy). */
async function castShadow(product: Layer, lighting: Lighting, camera: Camera): Promise<{ layer: Layer; dx: number; dy: number }> {
  const alpha = await fromLayer(product).extractChannel(3).raw().toBuffer();
  const dir = -Math.cos((lighting.azimuth * Math.PI) / 180); // +1: the shadow falls to the right
  const length = (1.15 - lighting.elevation) * camera.floorSquash * 1.6;
  const h = Math.max(2, Math.round(product.height * Math.min(1, length)));
  const blur = Math.max(0.5, product.width * lighting.shadowSoftness);
  const pad = Math.ceil(blur * 3);
  if (camera.horizon === 0) {
    // Seen from above the shadow is the silhouette itself, pushed away from the light.
    const flat = await sharp(alpha, { raw: { width: product.width, height: product.height, channels: 1 } })
      .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#000000' })
      .blur(blur)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const layer = await tintedMask(flat.data, flat.info.width, flat.info.height, { r: 0, g: 0, b: 0 }, lighting.shadowOpacity * 0.8);
    return { layer, dx: dir * product.width * 0.08 * (1.2 - lighting.elevation) - pad, dy: product.height * 0.03 - pad };
  }
  const squashed = await sharp(alpha, { raw: { width: product.width, height: product.height, channels: 1 } })
    .flip() // mirrored about the base: the shadow lies on the floor in front of the product
    .resize(product.width, h, { fit: 'fill' })
    .raw()
    .toBuffer();
  const shear = dir * (1.1 - lighting.elevation) * 1.4;
  const sheared = await sharp(squashed, { raw: { width: product.width, height: h, channels: 1 } })
    .affine([1, shear, 0, 1], { background: '#000000' })
    .extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#000000' })
    .blur(blur)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const layer = await tintedMask(sheared.data, sheared.info.width, sheared.info.height, { r: 0, g: 0, b: 0 }, lighting.shadowOpacity * 0.8);
  // affine grows the canvas to the sheared width; the shadow starts under the product's base.
  const dx = shear < 0 ? shear * h : 0;
  return { layer, dx: dx - pad, dy: -pad };
}

async function contactShadow(width: number, lighting: Lighting, camera: Camera): Promise<Layer> {
  const w = Math.round(width * 1.15);
  const h = Math.max(8, Math.round(width * 0.12 * (camera.floorSquash + 0.25)));
  const body = `<defs><radialGradient id="c" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#000" stop-opacity="${Math.min(0.9, lighting.shadowOpacity + 0.25)}"/><stop offset="1" stop-color="#000" stop-opacity="0"/></radialGradient></defs><ellipse cx="${w / 2}" cy="${h / 2}" rx="${w / 2}" ry="${h / 2}" fill="url(#c)"/>`;
  return toLayer(sharp(svg(body, w, h)).ensureAlpha());
}

async function reflection(product: Layer, gloss: number, camera: Camera): Promise<Layer> {
  const h = Math.max(2, Math.round(product.height * Math.min(0.6, 0.25 + camera.floorSquash)));
  const flipped = await toLayer(fromLayer(product).flip().extract({ left: 0, top: 0, width: product.width, height: Math.min(h, product.height) }));
  const fade = await sharp(
    svg(`<defs><linearGradient id="f" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#000"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#f)"/>`, flipped.width, flipped.height),
  )
    .extractChannel(0)
    .raw()
    .toBuffer();
  const rgb = await fromLayer(flipped).removeAlpha().raw().toBuffer();
  const alpha = Buffer.alloc(flipped.width * flipped.height);
  const strength = Math.min(0.5, gloss * 0.6);
  for (let i = 0; i < alpha.length; i++) alpha[i] = (flipped.data[i * 4 + 3]! * fade[i]! * strength) / 255;
  return joinAlpha(rgb, alpha, flipped.width, flipped.height);
}

/**
 * Composes one scene. `kind` decides the backdrop: model_shot is a clean studio sweep (the scene's
 * colours, no visible horizon), lifestyle a room or place with wall, floor and textures.
 */
export async function composeScene(cutout: Layer, params: SceneParams, kind: 'model_shot' | 'lifestyle', random: () => number): Promise<{ jpeg: Buffer; layout: SceneLayout }> {
  const { width: W, height: H } = canvasFor(params.aspectRatio);
  const palette = sceneFor(kind === 'model_shot' && !params.sceneType ? 'studio' : params.sceneType);
  const base = lightingFor(params.lighting);
  // Variants: the light swings a little and the product moves and scales a little.
  const lighting: Lighting = { ...base, azimuth: base.azimuth + (random() - 0.5) * 24 };
  const camera = cameraFor(params.cameraAngle);
  const backdrop = await renderBackdrop({ width: W, height: H, palette, lighting, camera, seamless: kind === 'model_shot', random });

  let product = await trimmed(cutout);
  const scale = Math.min((H * camera.productHeight * (0.9 + random() * 0.12)) / product.height, (W * 0.7) / product.width);
  const pw = Math.max(1, Math.round(product.width * scale));
  const ph = Math.max(1, Math.round(product.height * scale));
  product = await shade(await toLayer(fromLayer(product).resize(pw, ph, { kernel: 'lanczos3', fit: 'fill' })), lighting);
  const left = Math.round(W / 2 - pw / 2 + (random() - 0.5) * W * 0.12);
  const baseY = camera.horizon === 0 ? Math.round(H / 2 + ph / 2) : Math.round(H * camera.base);
  const top = baseY - ph;

  const overlays: (OverlayOptions | null)[] = [];
  const shadow = await castShadow(product, lighting, camera);
  overlays.push(await placed(shadow.layer, left + shadow.dx, (camera.horizon === 0 ? top : baseY) + shadow.dy, { width: W, height: H }));
  const contact = await contactShadow(pw, lighting, camera);
  overlays.push(await placed(contact, left + pw / 2 - contact.width / 2, baseY - contact.height / 2, { width: W, height: H }));
  const reflects = camera.reflection && palette.gloss > 0.15;
  if (reflects) overlays.push(await placed(await reflection(product, palette.gloss, camera), left, baseY, { width: W, height: H }));
  overlays.push(await placed(product, left, top, { width: W, height: H }));

  const { tint } = lighting;
  const jpeg = await sharp(backdrop, { raw: { width: W, height: H, channels: 3 } })
    .composite(overlays.filter((o): o is OverlayOptions => o !== null))
    .removeAlpha()
    .raw()
    .toBuffer()
    .then((composited) =>
      sharp(composited, { raw: { width: W, height: H, channels: 3 } })
        .linear([tint.r, tint.g, tint.b], [0, 0, 0])
        .modulate({ brightness: lighting.brightness, saturation: lighting.saturation })
        .jpeg({ quality: 90, mozjpeg: true })
        .toBuffer(),
    );
  return {
    jpeg,
    layout: { width: W, height: H, product: { left, top, width: pw, height: ph }, lightFromLeft: Math.cos((lighting.azimuth * Math.PI) / 180) < 0, reflection: reflects },
  };
}
