/**
 * The parameter schema of each generation type, from the seeds' fields. Strict objects: an unknown
 * parameter is a 400, not silently ignored. Each is also published as JSON Schema by
 * `GET /generation-types`, so only JSON-representable checks are used.
 */
import { z } from 'zod';

const key = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and - (at most 64)');
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a #rrggbb colour');

export const sceneAspectRatios = ['1:1', '4:3', '3:4', '16:9', '9:16'] as const;

/** Product scenes (seed 000: aspect_ratio, scene_type, lighting, camera_angle, style). */
export const ZSceneParams = z
  .object({
    aspect_ratio: z.enum(sceneAspectRatios).default('1:1'),
    scene_type: key.optional().describe('e.g. modern_living_room'),
    lighting: key.optional().describe('e.g. natural_daylight'),
    camera_angle: key.optional().describe('e.g. eye_level'),
    style: key.optional().describe('e.g. minimalist'),
  })
  .strict();

/** A room wall (seed 000 room scenes): wallpaper tiled at its real repeat, or a piece of art on the wall. */
export const ZRoomSceneParams = z
  .object({
    aspect_ratio: z.enum(sceneAspectRatios).default('4:3'),
    scene_type: key.optional().describe('e.g. modern_living_room'),
    lighting: key.optional().describe('e.g. natural_daylight'),
    camera_angle: key.optional().describe('e.g. eye_level'),
    style: key.optional(),
    placement: z.enum(['wallpaper', 'artwork']).default('wallpaper'),
    pattern_repeat: z.number().positive().max(500).optional().describe('cm: the width one repeat of the wallpaper covers'),
    artwork_width: z.number().positive().max(1000).optional().describe('cm'),
    wall_width: z.number().positive().max(2000).default(360).describe('cm'),
    wall_height: z.number().positive().max(1000).default(260).describe('cm'),
  })
  .strict();

export const ZUpscaleParams = z.object({ factor: z.union([z.literal(2), z.literal(4)]).default(2) }).strict();

export const ZBackgroundRemovalParams = z.object({ format: z.enum(['png', 'webp']).default('png') }).strict();

export const ZVectorizeParams = z
  .object({
    mode: z.enum(['mono', 'posterize']).default('mono'),
    colors: z.number().int().min(2).max(8).default(4).describe('posterize only'),
    threshold: z.number().int().min(0).max(255).optional().describe('mono only; automatic when absent'),
  })
  .strict();

export const ZGenerateParams = z.object({ aspect_ratio: z.enum(sceneAspectRatios).default('1:1'), style: key.optional() }).strict();

export const ZSubjectTrainingParams = z.object({}).strict();

export const hairColors = ['default', 'black', 'brown', 'blonde', 'red'] as const;
export const hairStyles = ['no-preference', 'short', 'medium', 'long', 'curly'] as const;

/** Seed 002: a headshot of a trained subject. */
export const ZHeadshotParams = z
  .object({
    aspect_ratio: z.enum(['1:1', '9:16', '16:9']).default('1:1'),
    glasses: z.enum(['yes', 'no']).default('no'),
    hair_color: z.enum(hairColors).default('default'),
    hair_style: z.enum(hairStyles).default('no-preference'),
    backgrounds: z.array(key).max(10).default([]),
    styles: z.array(key).max(10).default([]),
    reference_asset_id: z.uuid().optional(),
  })
  .strict();

export const ZStyleConversionParams = z.object({ strength: z.number().min(0).max(1).default(0.8) }).strict();

/** Seed 004: an ad built from a product photo and copy. */
export const ZAdCreativeParams = z
  .object({
    headline: z.string().min(1).max(80).regex(/\S/, 'must contain text, not only spaces'),
    body: z.string().max(280).optional(),
    cta: z.string().max(30).optional(),
    brand_colors: z.array(hexColor).max(5).default([]),
    size: z.enum(['1080x1080', '1080x1920', '1200x628', '1200x1200']).default('1080x1080'),
  })
  .strict();
