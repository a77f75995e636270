/**
 * The studios, generation types and provider ids, on their own so that config.ts and the presets
 * can name them without importing the provider contract (which reads the catalog's types).
 */
export const studios = ['product-shots', 'print-prep', 'headshots', 'style-studio', 'ad-creatives'] as const;
export type Studio = (typeof studios)[number];

export const generationTypes = [
  'model_shot',
  'lifestyle',
  'room_scene',
  'upscale',
  'background_removal',
  'vectorize',
  'generate',
  'subject_training',
  'headshot',
  'style_conversion',
  'ad_creative',
] as const;
export type GenerationType = (typeof generationTypes)[number];

export const providerIds = ['local', 'gemini', 'openai', 'replicate', 'fal'] as const;
export type ProviderId = (typeof providerIds)[number];
