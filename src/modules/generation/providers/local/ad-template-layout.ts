/**
 * A template's layout as the ad renderer reads it. The catalog keeps a layout as the JSON its admin
 * wrote (`TemplateLayout`); the ad-creatives preset and the seeded templates write boxes as fractions
 * of the canvas (`{ x, y, w, h }`), an alignment, colours and fonts. This reads those fields and
 * nothing else: a field that is missing or malformed is left out, and the renderer's own choice takes
 * its place. A layout without a product box and a headline box is no ad layout (null): the renderer
 * then uses its built-in arrangements (decision 047).
 */
import { z } from 'zod';
import type { TemplateLayout } from '../../../catalog/index.ts';

/** The fonts a template may name: the ones the renderer knows are installed (DejaVu). */
export const templateFonts = ['DejaVu Sans', 'DejaVu Serif'] as const;
export type TemplateFont = (typeof templateFonts)[number];

/** A box as fractions 0..1 of the canvas. */
export interface FractionBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface AdTemplateLayout {
  imageBox: FractionBox;
  headline: FractionBox;
  body?: FractionBox;
  cta?: FractionBox;
  logo?: FractionBox;
  align: 'left' | 'center';
  colors: { background?: string; text?: string; accent?: string };
  fonts: { headline?: TemplateFont; body?: TemplateFont };
}

const fraction = z.number().min(0).max(1);
const ZBox = z
  .object({ x: fraction, y: fraction, w: fraction.gt(0), h: fraction.gt(0) })
  .refine((b) => b.x + b.w <= 1.0001 && b.y + b.h <= 1.0001, 'a box must lie inside the canvas');
const hexColour = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/);
const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const ZAdTemplateLayout = z.object({
  image_box: ZBox,
  headline: ZBox,
  body: optional(ZBox),
  cta: optional(ZBox),
  logo: optional(ZBox),
  align: z.enum(['left', 'center']).catch('left'),
  colors: z
    .object({ background: optional(hexColour), text: optional(hexColour), accent: optional(hexColour) })
    .catch({ background: undefined, text: undefined, accent: undefined }),
  fonts: z.object({ headline: optional(z.enum(templateFonts)), body: optional(z.enum(templateFonts)) }).catch({ headline: undefined, body: undefined }),
});

const drop = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The ad layout of a template, or null when it places no product and headline. */
export function adTemplateLayout(layout: TemplateLayout | undefined): AdTemplateLayout | null {
  if (!layout) return null;
  const parsed = ZAdTemplateLayout.safeParse({ colors: {}, fonts: {}, ...layout });
  if (!parsed.success) return null;
  const l = parsed.data;
  return drop({
    imageBox: l.image_box,
    headline: l.headline,
    body: l.body,
    cta: l.cta,
    logo: l.logo,
    align: l.align,
    colors: drop(l.colors),
    fonts: drop(l.fonts),
  });
}
