/**
 * Vectorising with potrace (the @gatsbyjs/potrace port, pure JavaScript): monochrome (one traced
 * layer from a luminance threshold) or posterised colour (k-means picks exactly n colours; each colour's region is traced and stacked, the most common colour as the backdrop).
 * sharp decodes, flattens and resizes here; the tracing itself (vectorize.trace.ts) runs on a
 * `Tracer` — the provider's worker pool (vectorize.pool.ts) — or, without one, on this thread.
 * The SVG is written here from potrace's path data alone, so it carries no scripts, styles or
 * external references; `assertSafeSvg` checks that before it leaves.
 */
import sharp from 'sharp';
import { ProviderError } from '../provider.ts';
import { checkAbort, decodeRgba } from './common.ts';
import type { Tracer } from './vectorize.pool.ts';
import { traceLayers, type TraceJob } from './vectorize.trace.ts';

/** Tracing works on at most this many pixels a side; the SVG is scaled back to the input's size. */
export const TRACE_MAX_SIDE = 1024;

export interface VectorizeParams {
  mode: 'monochrome' | 'color';
  /** Colours for `color` mode, 2–16. */
  colors?: number;
  /** Luminance threshold 0–255 for `monochrome`; dark pixels are traced. Default 128. */
  threshold?: number;
  /** Speckles up to this many pixels are dropped (potrace's turdsize). */
  despeckle?: number;
  /** Corner smoothness, potrace's alphamax (0 = sharp corners, 1.33 = all curves). */
  smoothness?: number;
}

/** Tracing on the calling thread, stopping between layers when the signal fires. */
export const inThread = (job: TraceJob, signal?: AbortSignal): ReturnType<typeof traceLayers> => traceLayers(job, () => checkAbort(signal));

export async function vectorize(
  input: Buffer,
  params: VectorizeParams,
  signal?: AbortSignal,
  tracer?: Pick<Tracer, 'trace'>,
): Promise<{ svg: string; layers: number; width: number; height: number }> {
  const threshold = params.threshold ?? 128;
  const colors = params.colors ?? 6;
  if (params.mode === 'monochrome' && (!Number.isInteger(threshold) || threshold < 0 || threshold > 255)) throw new ProviderError('invalid_input', 'threshold must be an integer 0–255');
  if (params.mode === 'color' && (!Number.isInteger(colors) || colors < 2 || colors > 16)) throw new ProviderError('invalid_input', 'colors must be an integer 2–16');
  const src = await decodeRgba(input);
  const fit = Math.min(1, TRACE_MAX_SIDE / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * fit));
  const h = Math.max(1, Math.round(src.height * fit));
  // Transparent areas count as white paper, as potrace itself treats them.
  const flat = sharp(src.data, { raw: { width: src.width, height: src.height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .resize(w, h, { kernel: 'lanczos3' });
  const raw = params.mode === 'monochrome' ? await flat.greyscale().raw().toBuffer() : await flat.removeAlpha().raw().toBuffer();
  // A copy the tracer can move to its worker (sharp's own buffer cannot be transferred).
  const pixels = new Uint8Array(raw);
  checkAbort(signal);
  const job: TraceJob = {
    mode: params.mode,
    width: w,
    height: h,
    pixels,
    threshold,
    colors,
    despeckle: params.despeckle ?? 2,
    smoothness: params.smoothness ?? 1,
    scale: { x: src.width / w, y: src.height / h },
  };
  const { background, paths } = tracer ? await tracer.trace(job, signal) : await inThread(job, signal);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${src.width}" height="${src.height}" viewBox="0 0 ${src.width} ${src.height}" version="1.1">` +
    (background ? `<rect x="0" y="0" width="${src.width}" height="${src.height}" fill="${background}"/>` : '') +
    paths.join('') +
    '</svg>';
  assertSafeSvg(svg);
  return { svg, layers: paths.length + (background ? 1 : 0), width: src.width, height: src.height };
}

const allowedTag = /^<\/?(svg|path|rect)\b/;
const allowedAttr = new Set(['xmlns', 'width', 'height', 'viewBox', 'version', 'x', 'y', 'd', 'fill', 'stroke', 'fill-rule']);

/**
 * Only the elements and attributes this module writes may appear: no script, style, foreignObject,
 * event handler, href or url() reference. Throws `provider_error` if anything else slipped in.
 */
export function assertSafeSvg(svg: string): void {
  for (const tag of svg.match(/<[^>]*>/g) ?? []) {
    if (!allowedTag.test(tag)) throw new ProviderError('provider_error', `vectorised SVG has a disallowed element: ${tag.slice(0, 40)}`);
    for (const [, name, value] of tag.matchAll(/\s([a-zA-Z:-]+)="([^"]*)"/g)) {
      if (!allowedAttr.has(name!)) throw new ProviderError('provider_error', `vectorised SVG has a disallowed attribute: ${name}`);
      if (/url\(|javascript:|&/i.test(value!)) throw new ProviderError('provider_error', `vectorised SVG has a disallowed value in ${name}`);
    }
  }
}
