/**
 * The fixed words `GET /generation-types` shows people, in each language the server speaks
 * (decision 104): a type's name and description, each parameter's label (JSON Schema `title`) and
 * hint (`description`), and what a provider delivers. English is the registry's own text; Persian is
 * kept here. Types and parameter names are checked by the compiler (a new type or parameter without
 * its Persian does not compile); hints and provider notes are looked up by their English text, and
 * test/generation/type-languages.test.ts fails when one has no Persian.
 */
import type { z } from 'zod';
import type { Language } from '../../platform/http/language.ts';
import type * as p from './params.ts';
import type { GenerationType } from './providers/provider.ts';

/** Every parameter name of every type's schema. */
type ParamName = { [K in keyof typeof p]: (typeof p)[K] extends z.ZodObject<infer S> ? Extract<keyof S, string> : never }[keyof typeof p];

interface TypeText {
  name: string;
  /** Only where it differs from the registry's English description. */
  description?: string;
}

const typeText: Record<Language, Record<GenerationType, TypeText>> = {
  en: {
    model_shot: { name: 'Model shot' },
    lifestyle: { name: 'Lifestyle scene' },
    room_scene: { name: 'Room scene' },
    upscale: { name: 'Upscale' },
    background_removal: { name: 'Background removal' },
    vectorize: { name: 'Vectorize' },
    generate: { name: 'Generate' },
    subject_training: { name: 'Subject training' },
    headshot: { name: 'Headshot' },
    style_conversion: { name: 'Style conversion' },
    ad_creative: { name: 'Ad creative' },
  },
  fa: {
    model_shot: {
      name: 'عکس با مدل',
      description: 'مدلی که محصول را پوشیده یا در دست دارد (با ارائه‌دهندگان بیرونی؛ ارائه‌دهندهٔ محلی عکس استودیویی محصول بدون مدل می‌سازد، نگاه کنید به provider_details)',
    },
    lifestyle: { name: 'صحنهٔ روزمره', description: 'محصول در یک صحنهٔ روزمره' },
    room_scene: { name: 'صحنهٔ اتاق', description: 'یک طرح یا محصول روی دیوار اتاق با پرسپکتیو (تکرار کاغذ دیواری رعایت می‌شود)' },
    upscale: { name: 'بزرگ‌نمایی', description: 'بزرگ کردن تصویر ۲ یا ۴ برابر برای چاپ' },
    background_removal: { name: 'حذف پس‌زمینه', description: 'جدا کردن سوژه روی پس‌زمینهٔ شفاف' },
    vectorize: { name: 'برداری‌سازی', description: 'تبدیل تصویر به SVG (تک‌رنگ یا با رنگ‌های محدود)' },
    generate: { name: 'ساخت تصویر', description: 'ساخت تصویر از یک متن' },
    subject_training: { name: 'آماده‌سازی چهره', description: 'آماده‌سازی یک شخص از ۱ تا ۵ عکس' },
    headshot: {
      name: 'عکس پرسنلی',
      description:
        'عکس پرسنلی حرفه‌ای از یک شخص آماده‌شده. با ارائه‌دهندهٔ محلی شخص همان‌طور که عکاسی شده می‌ماند (کادربندی دوباره از روی چهره، جدا کردن، پس‌زمینه و نور تازه): glasses، hair_color و hair_style آنجا اعمال نمی‌شوند و فرادادهٔ خروجی آن‌ها را فهرست می‌کند',
    },
    style_conversion: {
      name: 'تبدیل سبک',
      description:
        'بازسازی یک عکس در یک سبک: `style` کلید یکی از سبک‌های فعال GET /styles?kind=style است؛ `reference_asset_id` می‌تواند یکی از تصاویر شما یا تصویری از گالری عمومی یک فروشنده باشد که رنگ‌ها و بافتش منتقل می‌شود',
    },
    ad_creative: { name: 'آگهی', description: 'آگهی با تیتر، متن و دعوت به اقدام' },
  },
};

const paramTitle: Record<Language, Record<ParamName, string>> = {
  en: {
    aspect_ratio: 'Aspect ratio',
    scene_type: 'Scene',
    lighting: 'Lighting',
    camera_angle: 'Camera angle',
    style: 'Style',
    placement: 'Placement',
    pattern_repeat: 'Pattern repeat (cm)',
    artwork_width: 'Artwork width (cm)',
    wall_width: 'Wall width (cm)',
    wall_height: 'Wall height (cm)',
    factor: 'Factor',
    format: 'Format',
    mode: 'Mode',
    colors: 'Colours',
    threshold: 'Threshold',
    glasses: 'Glasses',
    hair_color: 'Hair colour',
    hair_style: 'Hair style',
    backgrounds: 'Backgrounds',
    styles: 'Styles',
    reference_asset_id: 'Reference image',
    strength: 'Strength',
    headline: 'Headline',
    body: 'Body text',
    cta: 'Call to action',
    brand_colors: 'Brand colours',
    size: 'Size',
  },
  fa: {
    aspect_ratio: 'نسبت ابعاد',
    scene_type: 'صحنه',
    lighting: 'نورپردازی',
    camera_angle: 'زاویهٔ دوربین',
    style: 'سبک',
    placement: 'جای‌گذاری',
    pattern_repeat: 'تکرار طرح (سانتی‌متر)',
    artwork_width: 'پهنای اثر (سانتی‌متر)',
    wall_width: 'پهنای دیوار (سانتی‌متر)',
    wall_height: 'بلندی دیوار (سانتی‌متر)',
    factor: 'ضریب',
    format: 'قالب',
    mode: 'حالت',
    colors: 'رنگ‌ها',
    threshold: 'آستانه',
    glasses: 'عینک',
    hair_color: 'رنگ مو',
    hair_style: 'مدل مو',
    backgrounds: 'پس‌زمینه‌ها',
    styles: 'سبک‌ها',
    reference_asset_id: 'تصویر مرجع',
    strength: 'شدت',
    headline: 'تیتر',
    body: 'متن',
    cta: 'دعوت به اقدام',
    brand_colors: 'رنگ‌های برند',
    size: 'اندازه',
  },
};

/** Persian of the hints in params.ts and of what providers say they deliver, by their English text. */
const persianPhrases: Readonly<Record<string, string>> = {
  'e.g. modern_living_room': 'مثلاً modern_living_room',
  'e.g. natural_daylight': 'مثلاً natural_daylight',
  'e.g. eye_level': 'مثلاً eye_level',
  'e.g. minimalist': 'مثلاً minimalist',
  'cm: the width one repeat of the wallpaper covers': 'سانتی‌متر: پهنایی که یک تکرار کاغذ دیواری می‌پوشاند',
  cm: 'سانتی‌متر',
  'posterize only': 'فقط در حالت posterize',
  'mono only; automatic when absent': 'فقط در حالت mono؛ اگر خالی بماند خودکار است',
  'A studio packshot: the product cut out and placed on a rendered backdrop with light and shadow. No model (person) is shown.':
    'عکس استودیویی محصول: محصول جدا شده و روی پس‌زمینه‌ای ساخته‌شده با نور و سایه قرار می‌گیرد. هیچ مدلی (شخصی) دیده نمی‌شود.',
  'The product cut out and placed in a rendered scene (backdrop, light, shadow); no people or props are generated.':
    'محصول جدا شده و در صحنه‌ای ساخته‌شده (پس‌زمینه، نور، سایه) قرار می‌گیرد؛ هیچ آدم یا وسیلهٔ دیگری ساخته نمی‌شود.',
};

/** A registry or provider sentence in `language`; as written when there is no translation of it. */
export function phrase(english: string, language: Language): string {
  return language === 'fa' ? (persianPhrases[english] ?? english) : english;
}

export function typeName(type: GenerationType, language: Language): string {
  return typeText[language][type].name;
}

export function typeDescription(type: GenerationType, english: string, language: Language): string {
  return typeText[language][type].description ?? english;
}

/** The JSON Schema of a type's parameters with each property's label and hint in `language`. */
export function localizedParamsSchema(schema: Record<string, unknown>, language: Language): Record<string, unknown> {
  const properties = schema.properties;
  if (!properties || typeof properties !== 'object') return schema;
  const titles: Record<string, string> = paramTitle[language];
  const localized = Object.fromEntries(
    Object.entries(properties as Record<string, Record<string, unknown>>).map(([name, prop]) => [
      name,
      {
        ...prop,
        ...(titles[name] ? { title: titles[name] } : {}),
        ...(typeof prop.description === 'string' ? { description: phrase(prop.description, language) } : {}),
      },
    ]),
  );
  return { ...schema, properties: localized };
}
