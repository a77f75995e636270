/**
 * Prompts for the external image models, built from a generation's type and validated parameters.
 * Models only read text, so every choice a studio offers (scene, lighting, glasses, hair colour, a
 * style's prompt, a template's layout) becomes a sentence here; the user's own prompt, when given,
 * is added last as extra direction. Values are flattened to one line and clipped so a parameter
 * cannot smuggle in a second instruction block or an unbounded prompt.
 */
import { ProviderError, type GenerationType, type ProviderContext, type ProviderInput, type TemplateLayout } from '../provider.ts';

const MAX_VALUE = 200;
const MAX_PROMPT = 4000;

/** `modern_living_room` → `modern living room`; one line, clipped; empty values dropped. */
export function humanize(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/[_\s]+/g, ' ').trim();
  return text ? text.slice(0, MAX_VALUE) : undefined;
}

function list(value: unknown): string | undefined {
  if (!Array.isArray(value)) return humanize(value);
  const items = value.map(humanize).filter((v): v is string => Boolean(v));
  return items.length > 0 ? items.join(', ') : undefined;
}

/** "label: value" sentences for the parameters that are set. */
function details(params: Record<string, unknown>, labels: Record<string, string>): string[] {
  return Object.entries(labels)
    .map(([key, label]) => {
      const v = list(params[key]);
      return v ? `${label}: ${v}.` : undefined;
    })
    .filter((s): s is string => Boolean(s));
}

const sceneLabels = {
  scene_type: 'Scene',
  background: 'Background',
  lighting: 'Lighting',
  camera_angle: 'Camera angle',
  style: 'Style',
  mood: 'Mood',
  aspect_ratio: 'Aspect ratio',
};

const keepProduct =
  'Keep the product exactly as in the reference image: same shape, proportions, colours, materials, text and logos; do not add or remove parts.';

function headshot(params: Record<string, unknown>, context: ProviderContext): string[] {
  const trigger = humanize(context.subject?.triggerWord);
  const subject = trigger ? `the person ${trigger}` : 'the person in the reference photos';
  const lines = [`A professional, photorealistic headshot of ${subject}, head and shoulders, sharp focus on the eyes, flattering studio light.`];
  const gender = humanize(params.gender ?? context.subject?.gender);
  if (gender) lines.push(`The person is a ${gender === 'hombre' ? 'man' : gender === 'mujer' ? 'woman' : gender}.`);
  if (params.glasses === 'yes') lines.push('The person wears glasses.');
  if (params.glasses === 'no') lines.push('The person does not wear glasses.');
  const hairColor = humanize(params.hair_color);
  if (hairColor && hairColor !== 'default') lines.push(`Hair colour: ${hairColor}.`);
  const hairStyle = humanize(params.hair_style);
  if (hairStyle && hairStyle !== 'no-preference') lines.push(`Hair style: ${hairStyle}.`);
  lines.push(...details(params, { backgrounds: 'Background', styles: 'Style', aspect_ratio: 'Aspect ratio' }));
  if (!trigger) lines.push("Keep the person's identity, face shape, skin tone and features exactly as in the reference photos.");
  return lines;
}

const builders: Record<GenerationType, (p: Record<string, unknown>, c: ProviderContext) => string[]> = {
  model_shot: (p) => [
    'A professional e-commerce fashion photograph of a model wearing or holding the product from the reference image.',
    ...details(p, { model_gender: 'Model', model_age: 'Model age', pose: 'Pose', ...sceneLabels }),
    keepProduct,
  ],
  lifestyle: (p) => [
    'A natural lifestyle photograph showing the product from the reference image in everyday use.',
    ...details(p, { setting: 'Setting', ...sceneLabels }),
    keepProduct,
  ],
  room_scene: (p) => [
    'A photorealistic interior photograph with the product from the reference image placed naturally in the room, at a realistic scale, with consistent perspective, shadows and reflections.',
    ...details(p, { room_type: 'Room', ...sceneLabels }),
    keepProduct,
  ],
  headshot,
  style_conversion: (p, c) => {
    const style = oneLine(c.style?.prompt) ?? humanize(p.style) ?? humanize(c.style?.name) ?? humanize(c.style?.key);
    return [
      `Redraw the reference image${style ? ` in this style: ${style}` : ' in the requested style'}.`,
      ...details(p, { intensity: 'Style strength', aspect_ratio: 'Aspect ratio' }),
      'Keep the composition, the subjects and their poses recognisable.',
      // Decision 046: the reference travels as the last input image (role `style`).
      ...(typeof p.reference_asset_id === 'string' ? ['The last image is a style reference: take its colours, palette and texture, not its content.'] : []),
    ];
  },
  ad_creative: (p) => [
    'A polished advertising creative featuring the product from the reference image.',
    ...details(p, { headline: 'Headline text', call_to_action: 'Call to action', platform: 'Platform', brand_colors: 'Brand colours', ...sceneLabels }),
    'Render any requested text legibly and spelled exactly as given.',
    keepProduct,
  ],
  generate: (p) => [...details(p, { style: 'Style', aspect_ratio: 'Aspect ratio', background: 'Background' })],
  upscale: () => ['Upscale the image, restoring fine detail and sharp edges without changing its content.'],
  background_removal: () => ['Remove the background completely, leaving only the main subject on a transparent background with clean edges.'],
  vectorize: () => ['Convert the image to clean flat vector art with few colours.'],
  subject_training: () => [],
};

/** A style's prompt or other admin text: one line, clipped (longer than a parameter value). */
function oneLine(text: string | undefined, max = 1000): string | undefined {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, max) : undefined;
}

/** `kind: hero; headline: Summer sale; zones: product left, text right` — a layout as one sentence. */
export function describeLayout(layout: TemplateLayout): string | undefined {
  const parts = Object.entries(layout)
    .map(([k, v]) => {
      const text = typeof v === 'object' && v !== null && !Array.isArray(v) ? oneLine(JSON.stringify(v), MAX_VALUE) : list(v);
      return text ? `${humanize(k)}: ${text}` : undefined;
    })
    .filter((s): s is string => Boolean(s));
  return parts.length > 0 ? oneLine(parts.join('; ')) : undefined;
}

/**
 * What the catalog adds to any type: the chosen template's name, size and layout, and the chosen
 * style's prompt (style_conversion puts the prompt in its own first sentence instead).
 */
function catalogLines(type: GenerationType, c: ProviderContext): string[] {
  const lines: string[] = [];
  if (c.template) {
    const t = c.template;
    lines.push(`Template: ${humanize(t.name) ?? 'untitled'}${t.width && t.height ? ` (${t.width}x${t.height})` : ''}.`);
    const layout = describeLayout(t.layout);
    if (layout) lines.push(`Layout: ${layout}.`);
  }
  const style = oneLine(c.style?.prompt) ?? humanize(c.style?.name) ?? humanize(c.style?.key);
  if (style && type !== 'style_conversion') lines.push(`Style: ${style.replace(/\.$/, '')}.`);
  return lines;
}

/**
 * The prompt sent to a model for this input; the user's own prompt is kept, not replaced. For
 * `generate` it is the subject itself, so an empty one is refused rather than sent.
 */
export function buildPrompt(input: Pick<ProviderInput, 'type' | 'prompt' | 'params' | 'context'>): string {
  const context = input.context ?? {};
  const lines = [...builders[input.type](input.params, context), ...catalogLines(input.type, context)];
  const own = input.prompt?.replace(/\s+/g, ' ').trim().slice(0, MAX_PROMPT);
  if (input.type === 'generate') {
    if (!own) throw new ProviderError('invalid_input', 'A prompt is required to generate an image.');
    lines.unshift(own);
  } else if (own) {
    lines.push(`Additional direction: ${own}`);
  }
  return lines.join(' ').slice(0, MAX_PROMPT);
}
