/** Seeded grey noise layers (centred on mid-grey) for soft-light texture and grain. */
import sharp from 'sharp';

export async function noiseLayer(width: number, height: number, random: () => number, cell: { x: number; y: number }, amplitude: number, blur = 0): Promise<Buffer> {
  const cw = Math.max(2, Math.round(width / cell.x));
  const ch = Math.max(2, Math.round(height / cell.y));
  const raw = Buffer.alloc(cw * ch);
  for (let i = 0; i < raw.length; i++) raw[i] = 128 + (random() - 0.5) * 2 * amplitude;
  let img = sharp(raw, { raw: { width: cw, height: ch, channels: 1 } }).resize(width, height, { kernel: 'cubic', fit: 'fill' });
  if (blur > 0.3) img = sharp(await img.png().toBuffer()).blur(blur);
  return img.png().toBuffer();
}
