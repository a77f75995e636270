/**
 * The generation types: which studio each belongs to, what it needs as input, its parameter schema
 * and how long a run may take. Prices live in `generation_prices` (admin-editable); providers are
 * chosen by routing.ts. `ATELIER_STUDIOS` decides which studios, and so which types, are offered.
 */
import type { z } from 'zod';
import { generationTypes, type GenerationType } from './providers/provider.ts';
import type { Studio } from './providers/ids.ts';
import * as p from './params.ts';

export { studios, type Studio } from './providers/ids.ts';

export interface TypeSpec {
  type: GenerationType;
  studio: Studio;
  description: string;
  params: z.ZodType<Record<string, unknown>>;
  /** How many source images (own assets) the type takes, and whether a product may stand in for them. */
  sources: { min: number; max: number; orProduct?: boolean };
  needs?: { prompt?: boolean; subject?: boolean; style?: boolean };
  /**
   * The catalog kind `style` must be: any active style of that kind (the seeded ones and those an
   * admin adds at /admin/styles), checked against the database at submit (decision 046).
   */
  styleKind?: 'style' | 'background' | 'scene';
  /** Whether `reference_asset_id` (an image whose look is transferred) may be given (decision 046). */
  takesStyleReference?: boolean;
  /** Default time a run may take from submission, in seconds (`Cancel-After` can shorten it). */
  deadlineSec: number;
}

const scene = (type: GenerationType, description: string): TypeSpec => ({
  type,
  studio: 'product-shots',
  description,
  params: p.ZSceneParams,
  sources: { min: 1, max: 4, orProduct: true },
  deadlineSec: 300,
});

const specs: TypeSpec[] = [
  scene('model_shot', 'A model wearing or holding the product (external providers; on the local provider a studio packshot without a model, see provider_details)'),
  scene('lifestyle', 'The product in a lifestyle scene'),
  { ...scene('room_scene', 'A pattern or product on a room wall in perspective (wallpaper repeat honoured)'), params: p.ZRoomSceneParams },
  { type: 'upscale', studio: 'print-prep', description: 'Enlarge an image 2× or 4× for print', params: p.ZUpscaleParams, sources: { min: 1, max: 1 }, deadlineSec: 180 },
  {
    type: 'background_removal',
    studio: 'print-prep',
    description: 'Cut the subject out onto a transparent background',
    params: p.ZBackgroundRemovalParams,
    sources: { min: 1, max: 1 },
    deadlineSec: 180,
  },
  { type: 'vectorize', studio: 'print-prep', description: 'Trace an image into SVG (mono or posterized colours)', params: p.ZVectorizeParams, sources: { min: 1, max: 1 }, deadlineSec: 180 },
  { type: 'generate', studio: 'print-prep', description: 'Create an image from a prompt', params: p.ZGenerateParams, sources: { min: 0, max: 4 }, needs: { prompt: true }, deadlineSec: 300 },
  {
    type: 'subject_training',
    studio: 'headshots',
    description: 'Train a subject from 1–5 photos',
    params: p.ZSubjectTrainingParams,
    sources: { min: 0, max: 0 },
    needs: { subject: true },
    deadlineSec: 3600,
  },
  { type: 'headshot', studio: 'headshots', description:
      'A professional headshot of a trained subject. On the local provider the person is kept as photographed (re-framed from the face, cut out, new backdrop and light): glasses, hair_color and hair_style are not applied there, and the output metadata lists them', params: p.ZHeadshotParams, sources: { min: 0, max: 1 }, needs: { subject: true }, deadlineSec: 600 },
  {
    type: 'style_conversion',
    studio: 'style-studio',
    description:
      'Redraw a photo in a style: `style` is the key of an active style of GET /styles?kind=style; `reference_asset_id` may name one of your images or a vendor’s public gallery image whose colours and texture are transferred',
    params: p.ZStyleConversionParams,
    sources: { min: 1, max: 1 },
    needs: { style: true },
    styleKind: 'style',
    takesStyleReference: true,
    deadlineSec: 300,
  },
  { type: 'ad_creative', studio: 'ad-creatives', description: 'An ad with headline, copy and call to action', params: p.ZAdCreativeParams, sources: { min: 0, max: 4 }, deadlineSec: 300 },
];

export const typeSpecs: ReadonlyMap<GenerationType, TypeSpec> = new Map(specs.map((s) => [s.type, s]));

// Every type of the provider contract has a spec; checked once at load.
for (const t of generationTypes) if (!typeSpecs.has(t)) throw new Error(`generation type ${t} has no spec`);

/** The types the configured studios offer, in registry order. */
export function offeredTypes(enabledStudios: readonly string[]): TypeSpec[] {
  return specs.filter((s) => enabledStudios.includes(s.studio));
}
