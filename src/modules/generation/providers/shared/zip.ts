/** Training photos travel to the trainers as one zip, the input both Replicate's and fal's trainers take. */
import yazl from 'yazl';
import type { ProviderImage } from '../provider.ts';
import { extensionOf } from './images.ts';

export function zipImages(images: ProviderImage[], mtime: Date): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  images.forEach((img, i) => zip.addBuffer(img.bytes, `${String(i + 1).padStart(2, '0')}.${extensionOf(img.mimeType, 'img')}`, { mtime }));
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** A trigger word unlikely to collide with real vocabulary, stable for one generation. */
export const triggerWordFor = (generationId: string) => `atl${generationId.replace(/[^a-z0-9]/gi, '').slice(0, 8).toLowerCase()}`;
