/**
 * A visible watermark for plans that have one: the text tiled diagonally across the whole image,
 * white with a dark outline at low opacity, so it shows on light and dark areas alike and cannot be
 * cropped away. Raster outputs only; an SVG gets the same tile as a pattern layer.
 */
import sharp from 'sharp';

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function tileSvg(text: string, size: number): string {
  const font = Math.max(12, Math.round(size / 8));
  const t = escapeXml(text);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` +
    `<g transform="rotate(-30 ${size / 2} ${size / 2})" font-family="sans-serif" font-size="${font}" font-weight="bold" text-anchor="middle">` +
    `<text x="${size / 2}" y="${size / 2}" fill="white" fill-opacity="0.35" stroke="black" stroke-opacity="0.2" stroke-width="${Math.max(1, font / 20)}">${t}</text>` +
    `</g></svg>`
  );
}

export async function applyWatermark(image: { bytes: Buffer; mimeType: string }, text: string): Promise<{ bytes: Buffer; mimeType: string }> {
  if (image.mimeType === 'image/svg+xml') return { bytes: watermarkSvg(image.bytes.toString('utf8'), text), mimeType: image.mimeType };
  const input = sharp(image.bytes);
  const meta = await input.metadata();
  const shorter = Math.min(meta.width ?? 256, meta.height ?? 256);
  // About three tiles across the shorter side, at least 96 px, but never larger than the image
  // (sharp refuses an overlay bigger than its base).
  const size = Math.min(shorter, Math.max(96, Math.round(shorter / 3)));
  const overlay = await sharp(Buffer.from(tileSvg(text, size))).png().toBuffer();
  const tiled = input.composite([{ input: overlay, tile: true, blend: 'over' }]);
  // Compositing adds an alpha channel; an opaque image stays opaque.
  const composed = meta.hasAlpha ? tiled : tiled.removeAlpha();
  const out =
    image.mimeType === 'image/jpeg'
      ? composed.jpeg({ quality: 90 })
      : image.mimeType === 'image/webp'
        ? composed.webp({ quality: 90 })
        : composed.png();
  return { bytes: await out.toBuffer(), mimeType: image.mimeType };
}

/** Adds a tiled pattern layer just before the closing tag of an SVG document. */
function watermarkSvg(svg: string, text: string): Buffer {
  const end = svg.lastIndexOf('</svg>');
  if (end < 0) return Buffer.from(svg);
  const t = escapeXml(text);
  const layer =
    `<defs><pattern id="atelier-wm" width="240" height="240" patternUnits="userSpaceOnUse" patternTransform="rotate(-30)">` +
    `<text x="120" y="120" font-family="sans-serif" font-size="30" font-weight="bold" text-anchor="middle" fill="white" fill-opacity="0.35" stroke="black" stroke-opacity="0.2">${t}</text>` +
    `</pattern></defs><rect width="100%" height="100%" fill="url(#atelier-wm)"/>`;
  return Buffer.from(svg.slice(0, end) + layer + svg.slice(end));
}
