/**
 * Seed 003, the photo style converter with vendor galleries, in rials: the five default plans of
 * payment_plans (Free 2 conversions and 5 images; Basic 20/50 for 50,000 rials a month; Advanced
 * 100/200 for 150,000; Vendor Free 10 gallery images; Vendor Pro 500 for 100,000). Conversions on
 * the free plan are the seed's free quota (no credits); a paid plan's conversions spend its credits.
 * ISO 4217 gives the rial two minor digits, so 50,000 rials is 5,000,000 minor units.
 */
import { plan, type Catalogue } from './types.ts';

const styles: [string, string, string][] = [
  ['sketch', 'Sketch', 'a loose graphite sketch with visible strokes'],
  ['pencil_sketch', 'Pencil sketch', 'a detailed pencil drawing with cross-hatching'],
  ['watercolor', 'Watercolour', 'a soft watercolour painting with bleeding washes'],
  ['vintage', 'Vintage', 'a faded vintage photograph with warm grain'],
  ['noir', 'Noir', 'a high-contrast black and white film noir still'],
  ['pop_art', 'Pop art', 'bold pop art with halftone dots and flat colours'],
  ['cartoon', 'Cartoon', 'a clean cartoon illustration with outlines'],
  ['anime', 'Anime', 'an anime illustration with cel shading'],
];

export const styleStudioCatalogue: Catalogue = {
  packages: [],
  plans: [
    plan({
      name: 'free',
      displayName: 'Free',
      description: '2 conversions and 5 images',
      amountMinor: 0,
      currency: 'IRR',
      conversionLimit: 2,
      galleryLimit: 5,
      hasWatermark: true,
      retentionDays: 30,
      uploadRetentionDays: 30,
      features: ['2 conversions', '5 gallery images', 'watermarked results'],
      sortOrder: 1,
    }),
    plan({
      name: 'basic',
      displayName: 'Basic',
      description: '20 conversions and 50 images a month',
      amountMinor: 5_000_000,
      currency: 'IRR',
      creditsPerPeriod: 20,
      conversionLimit: 20,
      galleryLimit: 50,
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: 365,
      features: ['20 conversions a month', '50 gallery images', 'no watermark'],
      sortOrder: 2,
    }),
    plan({
      name: 'advanced',
      displayName: 'Advanced',
      description: '100 conversions and 200 images a month',
      amountMinor: 15_000_000,
      currency: 'IRR',
      creditsPerPeriod: 100,
      conversionLimit: 100,
      galleryLimit: 200,
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: 365,
      features: ['100 conversions a month', '200 gallery images', 'no watermark', 'priority queue'],
      sortOrder: 3,
    }),
    plan({
      name: 'vendor_free',
      displayName: 'Vendor Free',
      description: '10 gallery images',
      audience: 'vendor',
      amountMinor: 0,
      currency: 'IRR',
      galleryLimit: 10,
      hasWatermark: true,
      retentionDays: 30,
      uploadRetentionDays: 30,
      features: ['10 gallery images', 'public vendor page'],
      sortOrder: 1,
    }),
    plan({
      name: 'vendor_pro',
      displayName: 'Vendor Pro',
      description: '500 gallery images a month',
      audience: 'vendor',
      amountMinor: 10_000_000,
      currency: 'IRR',
      galleryLimit: 500,
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: 365,
      features: ['500 gallery images', 'public vendor page', 'no watermark'],
      sortOrder: 2,
    }),
  ],
  styles: styles.map(([key, name, prompt], i) => ({ key, name, kind: 'style', studio: 'style-studio', prompt, sortOrder: i + 1 })),
  categories: [],
  templates: [],
  prices: [{ type: 'style_conversion', creditsPerOutput: 1 }],
};
