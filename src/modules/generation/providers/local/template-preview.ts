/**
 * A template's preview, drawn by the local ad renderer from the template's own layout, colours and
 * fonts, with sample copy and a sample product (a plain bottle drawn here): what a buyer browsing
 * templates sees before making an ad. No provider call, no credits; the same template always gives
 * the same picture, so the route may cache it by the template's content.
 */
import sharp from 'sharp';
import type { TemplateForEngine } from '../../../catalog/index.ts';
import { renderAd } from './ad-creative.ts';
import { adTemplateLayout } from './ad-template-layout.ts';
import { toLayer, type Layer } from './layers.ts';

/** The preview's long side: enough for a grid card, small enough to send many at once. */
export const PREVIEW_LONG_SIDE = 480;

const SAMPLE = { body: 'Your product, your words', cta: 'Shop now' };

/** A sample product: a bottle with a label, on transparency. */
async function sampleProduct(): Promise<Layer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="600" viewBox="0 0 300 600">
    <defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#5b6b7a"/><stop offset="0.45" stop-color="#c9d3dc"/><stop offset="1" stop-color="#46525e"/></linearGradient></defs>
    <rect x="120" y="20" width="60" height="70" rx="10" fill="#2b2f33"/>
    <path d="M110 90 h80 v40 q60 40 60 110 v300 q0 40 -40 40 h-120 q-40 0 -40 -40 v-300 q0 -70 60 -110 z" fill="url(#g)"/>
    <rect x="70" y="300" width="160" height="150" rx="8" fill="#f4f1ea"/>
    <rect x="95" y="340" width="110" height="14" rx="7" fill="#9aa5b1"/><rect x="110" y="372" width="80" height="10" rx="5" fill="#c2cad2"/>
  </svg>`;
  return toLayer(sharp(Buffer.from(svg)).ensureAlpha());
}

let product: Promise<Layer> | undefined;

/** The template drawn at its own size (a square when it names none), then scaled to PREVIEW_LONG_SIDE, as PNG. */
export async function renderTemplatePreview(template: Pick<TemplateForEngine, 'name' | 'width' | 'height' | 'layout'>): Promise<Buffer> {
  product ??= sampleProduct();
  const headline = typeof template.layout.headline === 'string' ? template.layout.headline : template.name;
  const width = template.width ?? 1080;
  const height = template.height ?? 1080;
  const { png } = await renderAd(await product, { headline, ...SAMPLE, template: adTemplateLayout(template.layout), width, height }, () => 0.5);
  return sharp(png).resize(PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE, { fit: 'inside', withoutEnlargement: true }).png({ compressionLevel: 8 }).toBuffer();
}
