/**
 * The parameters the local provider reads for each generation type, with its defaults. The engine
 * validates requests against each type's public schema first; these schemas only say what this
 * provider understands, and turn anything it cannot use into `invalid_input`.
 */
import { z } from 'zod';
import { ProviderError, type GenerationType, type ParamsProblem } from '../provider.ts';
import { adLayouts } from './ad-creative.ts';
import { centimetres } from './room-scene.ts';

const colour = z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'a colour like #1a2b3c');
const aspect = z.string().regex(/^\d{1,2}:\d{1,2}$/, 'a ratio like 16:9');
const length = z.union([z.number().positive(), z.string().min(1).max(20)]);

const upscaleFactor = z.union([z.literal(2), z.literal(4), z.literal('2'), z.literal('4'), z.literal('2x'), z.literal('4x')]);

/** The engine's public schema says `factor`; `scale` is accepted too. */
export const ZUpscale = z
  .object({ factor: upscaleFactor.optional(), scale: upscaleFactor.optional(), format: z.enum(['png', 'jpeg', 'webp']).optional() })
  .transform(({ factor, scale, format }) => ({ scale: (String(factor ?? scale ?? 2).startsWith('4') ? 4 : 2) as 2 | 4, format }));

export const ZBackgroundRemoval = z.object({
  /** Colours for the extra variants (the first output is always transparent). */
  backgrounds: z.array(colour).max(8).optional(),
});

export const ZVectorize = z.object({
  // The engine's public schema says `mono` | `posterize`; the longer names are accepted too.
  mode: z
    .enum(['mono', 'monochrome', 'posterize', 'color', 'colour'])
    .default('color')
    .transform((m) => (m === 'mono' || m === 'monochrome' ? 'monochrome' : 'color')),
  colors: z.number().int().min(2).max(16).default(6),
  threshold: z.number().int().min(0).max(255).optional(),
  despeckle: z.number().int().min(0).max(100).optional(),
  smoothness: z.number().min(0).max(1.34).optional(),
});

export const ZScene = z.object({
  scene_type: z.string().min(1).max(64).optional(),
  lighting: z.string().min(1).max(64).default('natural_daylight'),
  camera_angle: z.string().min(1).max(64).default('eye_level'),
  aspect_ratio: aspect.default('1:1'),
  style: z.string().max(64).optional(),
});

export const ZRoomScene = z.object({
  placement: z.enum(['wallpaper', 'artwork']).default('wallpaper'),
  pattern_repeat: length.optional(),
  artwork_width: length.optional(),
  wall_width: length.default(360),
  wall_height: length.default(260),
  camera_angle: z.string().min(1).max(64).default('eye_level'),
  aspect_ratio: aspect.default('4:3'),
  scene_type: z.string().min(1).max(64).default('modern_living_room'),
  lighting: z.string().min(1).max(64).default('natural_daylight'),
}).superRefine((p, issue) => {
  // The renderer tiles at least one whole repeat across the wall: a wider repeat cannot be drawn.
  if (p.placement !== 'wallpaper' || p.pattern_repeat === undefined) return;
  const cm = (v: number | string, field: string) => {
    try {
      return centimetres(v, field);
    } catch {
      return undefined;
    }
  };
  const repeat = cm(p.pattern_repeat, 'pattern_repeat');
  const wall = cm(p.wall_width, 'wall_width');
  if (repeat !== undefined && wall !== undefined && repeat > wall) {
    issue.addIssue({ code: 'custom', path: ['pattern_repeat'], message: `the pattern repeat (${repeat} cm) is wider than the wall (${wall} cm)` });
  }
});

export const ZHeadshot = z.object({
  background: z.string().min(1).max(64).optional(),
  backgrounds: z.array(z.string().min(1).max(64)).max(16).optional(),
  aspect_ratio: aspect.default('1:1'),
  /** Backdrop or grade names (headshot-portrait.ts); others are reported as not honoured. */
  styles: z.array(z.string().min(1).max(64)).max(16).optional(),
  reference_asset_id: z.uuid().optional(),
  // Read only to say that they are not honoured (decision 031).
  glasses: z.string().optional(),
  hair_color: z.string().optional(),
  hair_style: z.string().optional(),
});
export type THeadshotParams = z.output<typeof ZHeadshot>;

export const ZStyle = z.object({ style: z.string().min(1).max(64).optional(), strength: z.number().min(0).max(1).default(0.8) });

export const ZAdCreative = z.object({
  headline: z.string().max(200).regex(/\S/, 'must contain text').optional(),
  body: z.string().max(600).optional(),
  cta: z.string().max(60).optional(),
  call_to_action: z.string().max(60).optional(),
  brand_colors: z
    .union([
      z.object({ primary: colour, secondary: colour.optional(), background: colour.optional(), text: colour.optional() }),
      // Empty (the published default) means the renderer's own colours.
      z.array(colour).max(5),
    ])
    .optional(),
  layout: z.enum(adLayouts).optional(),
  /** The engine's `size`, e.g. `1080x1920`. */
  size: z.string().regex(/^\d{3,4}x\d{3,4}$/).optional(),
  aspect_ratio: aspect.optional(),
});

/** The schema this provider reads each type's params with; `generate` it does not run. */
export const localParamsSchemas: Partial<Record<GenerationType, z.ZodType>> = {
  upscale: ZUpscale,
  background_removal: ZBackgroundRemoval,
  vectorize: ZVectorize,
  model_shot: ZScene,
  lifestyle: ZScene,
  room_scene: ZRoomScene,
  headshot: ZHeadshot,
  style_conversion: ZStyle,
  ad_creative: ZAdCreative,
};

/** What the local provider would refuse in these params, as `params.<path>` problems (checked at submit, decision 044). */
export function localParamsProblems(type: GenerationType, params: Record<string, unknown>): ParamsProblem[] {
  const schema = localParamsSchemas[type];
  const parsed = schema?.safeParse(params);
  if (!parsed || parsed.success) return [];
  return parsed.error.issues.map((i) => ({ path: ['params', ...i.path.map(String)].join('.'), message: `the local provider cannot use this: ${i.message}` }));
}

export function parseParams<S extends z.ZodType>(schema: S, params: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ');
    throw new ProviderError('invalid_input', `parameters the local provider cannot use: ${detail}`);
  }
  return parsed.data;
}
