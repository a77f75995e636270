/**
 * The prompt a provider gets: the user's own text when given, else one sentence built from the
 * type and its parameters, so prompt-driven providers have something meaningful to work from.
 */
import type { GenerationType } from './providers/provider.ts';

const words = (v: unknown) => String(v).replaceAll(/[_-]+/g, ' ');

const BASE: Record<GenerationType, string> = {
  model_shot: 'A professional photo of a model with the product',
  lifestyle: 'A lifestyle photo featuring the product',
  room_scene: 'The product shown in a furnished room',
  upscale: 'Upscale the image',
  background_removal: 'Remove the background',
  vectorize: 'Trace the image as vector art',
  generate: 'An image',
  subject_training: 'Learn the subject from the photos',
  headshot: 'A professional headshot of the subject',
  style_conversion: 'Redraw the photo',
  ad_creative: 'An advertisement',
};

export function buildPrompt(type: GenerationType, prompt: string | null, params: Record<string, unknown>, style: string | null): string {
  if (prompt) return prompt;
  const parts = [BASE[type]];
  if (params.scene_type) parts.push(`in a ${words(params.scene_type)} setting`);
  if (params.lighting) parts.push(`with ${words(params.lighting)} lighting`);
  if (params.camera_angle) parts.push(`shot from ${words(params.camera_angle)}`);
  const s = style ?? params.style;
  if (s) parts.push(`in ${words(s)} style`);
  if (params.headline) parts.push(`with the headline "${String(params.headline)}"`);
  return `${parts.join(', ')}.`;
}
