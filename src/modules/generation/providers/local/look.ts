/**
 * What scene_type, lighting and camera_angle mean for a rendered scene. Known names have tuned
 * values; an unknown scene name gets a palette derived from its text (stable for the same name),
 * so a studio that adds its own scene names still gets a consistent backdrop.
 */
import { createHash } from 'node:crypto';
import { parseColour, type Rgb } from './common.ts';

export type Texture = 'none' | 'plaster' | 'wood' | 'tile' | 'sand' | 'grass' | 'concrete' | 'fabric' | 'marble';

export interface ScenePalette {
  wallTop: Rgb;
  wallBottom: Rgb;
  floorFar: Rgb;
  floorNear: Rgb;
  wallTexture: Texture;
  floorTexture: Texture;
  /** 0 = matte, 1 = mirror-like; drives the reflection's strength. */
  gloss: number;
}

const c = (hex: string): Rgb => parseColour(hex, 'a scene colour');

export const scenes: Record<string, ScenePalette> = {
  studio: { wallTop: c('#f4f4f2'), wallBottom: c('#dcdcd8'), floorFar: c('#d8d8d4'), floorNear: c('#ecece8'), wallTexture: 'none', floorTexture: 'none', gloss: 0.55 },
  modern_living_room: { wallTop: c('#e9e4dc'), wallBottom: c('#d6cfc3'), floorFar: c('#a47b55'), floorNear: c('#8a6240'), wallTexture: 'plaster', floorTexture: 'wood', gloss: 0.25 },
  kitchen: { wallTop: c('#f2f0ea'), wallBottom: c('#e2ded4'), floorFar: c('#c9c5bd'), floorNear: c('#b3aea5'), wallTexture: 'tile', floorTexture: 'marble', gloss: 0.45 },
  bedroom: { wallTop: c('#e8dfe0'), wallBottom: c('#d4c4c6'), floorFar: c('#b89a7a'), floorNear: c('#9c7d5e'), wallTexture: 'plaster', floorTexture: 'fabric', gloss: 0.05 },
  bathroom: { wallTop: c('#eef3f4'), wallBottom: c('#d5e0e2'), floorFar: c('#c5cfd1'), floorNear: c('#aebbbe'), wallTexture: 'tile', floorTexture: 'tile', gloss: 0.5 },
  office: { wallTop: c('#e3e6ea'), wallBottom: c('#c9ced6'), floorFar: c('#7a7f88'), floorNear: c('#5f646c'), wallTexture: 'plaster', floorTexture: 'concrete', gloss: 0.2 },
  cafe: { wallTop: c('#d9c2a5'), wallBottom: c('#b8967a'), floorFar: c('#6e4b33'), floorNear: c('#553824'), wallTexture: 'plaster', floorTexture: 'wood', gloss: 0.3 },
  outdoor: { wallTop: c('#9cc7e8'), wallBottom: c('#dceaf2'), floorFar: c('#7d9b5a'), floorNear: c('#5d7c3e'), wallTexture: 'none', floorTexture: 'grass', gloss: 0 },
  garden: { wallTop: c('#a9d0ea'), wallBottom: c('#e4efe6'), floorFar: c('#6f9a4c'), floorNear: c('#4f7a31'), wallTexture: 'none', floorTexture: 'grass', gloss: 0 },
  beach: { wallTop: c('#7fb8e6'), wallBottom: c('#cfe6f3'), floorFar: c('#e6d3a8'), floorNear: c('#d8c08e'), wallTexture: 'none', floorTexture: 'sand', gloss: 0.05 },
  industrial_loft: { wallTop: c('#9a8f86'), wallBottom: c('#7d716a'), floorFar: c('#6b6b6b'), floorNear: c('#545454'), wallTexture: 'concrete', floorTexture: 'concrete', gloss: 0.35 },
  luxury: { wallTop: c('#2b2a30'), wallBottom: c('#1d1c22'), floorFar: c('#d9d4cc'), floorNear: c('#bfb8ad'), wallTexture: 'none', floorTexture: 'marble', gloss: 0.7 },
};

/** The catalog's scene keys (the product-shots preset) by the tuned scene that renders them. */
const sceneAliases: Record<string, string> = {
  white_studio: 'studio',
  marble_counter: 'kitchen',
  outdoor_nature: 'garden',
  lifestyle_living_room: 'modern_living_room',
  living_room: 'modern_living_room',
  modern_bedroom: 'bedroom',
  concrete_loft: 'industrial_loft',
};

/** The tuned palette a scene name means, directly or as one of the catalog's scenes; undefined when none. */
export function knownScene(name: string): ScenePalette | undefined {
  const key = name.toLowerCase().replace(/[\s-]+/g, '_');
  return scenes[name] ?? scenes[key] ?? scenes[sceneAliases[key] ?? ''];
}

export function sceneFor(name: string): ScenePalette {
  const known = knownScene(name);
  if (known) return known;
  const d = createHash('sha256').update(name).digest();
  const hue = (d[0]! / 255) * 360;
  const hsl = (h: number, s: number, l: number): Rgb => {
    const f = (n: number): number => {
      const k = (n + h / 30) % 12;
      return 255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
    };
    return { r: f(0), g: f(8), b: f(4) };
  };
  return {
    wallTop: hsl(hue, 0.25, 0.88),
    wallBottom: hsl(hue, 0.25, 0.78),
    floorFar: hsl((hue + 30) % 360, 0.3, 0.55),
    floorNear: hsl((hue + 30) % 360, 0.3, 0.45),
    wallTexture: 'plaster',
    floorTexture: (['wood', 'concrete', 'tile', 'fabric'] as const)[d[1]! % 4]!,
    gloss: (d[2]! / 255) * 0.4,
  };
}

export interface Lighting {
  /** Where the key light comes from, degrees: 0 = from the right, 90 = from above, 180 = from the left. */
  azimuth: number;
  /** Height of the light, 0 (grazing, long shadows) … 1 (overhead, short shadows). */
  elevation: number;
  /** Multipliers applied to the whole image (colour temperature). */
  tint: Rgb;
  /** Shadow darkness 0–1 and blur in fractions of the product's width. */
  shadowOpacity: number;
  shadowSoftness: number;
  /** Brightness of the light pool on the backdrop, 0–1. */
  pool: number;
  /** Overall brightness and saturation (sharp modulate). */
  brightness: number;
  saturation: number;
}

export const lightings: Record<string, Lighting> = {
  natural_daylight: { azimuth: 150, elevation: 0.6, tint: { r: 1, g: 1, b: 1.03 }, shadowOpacity: 0.45, shadowSoftness: 0.08, pool: 0.35, brightness: 1.03, saturation: 1 },
  studio_softbox: { azimuth: 120, elevation: 0.8, tint: { r: 1, g: 1, b: 1 }, shadowOpacity: 0.35, shadowSoftness: 0.14, pool: 0.25, brightness: 1.05, saturation: 1 },
  soft: { azimuth: 110, elevation: 0.85, tint: { r: 1, g: 1, b: 1 }, shadowOpacity: 0.3, shadowSoftness: 0.16, pool: 0.2, brightness: 1.04, saturation: 0.97 },
  golden_hour: { azimuth: 170, elevation: 0.25, tint: { r: 1.08, g: 0.97, b: 0.82 }, shadowOpacity: 0.55, shadowSoftness: 0.06, pool: 0.5, brightness: 1.02, saturation: 1.1 },
  warm: { azimuth: 140, elevation: 0.5, tint: { r: 1.06, g: 1, b: 0.9 }, shadowOpacity: 0.45, shadowSoftness: 0.09, pool: 0.35, brightness: 1.02, saturation: 1.04 },
  dramatic: { azimuth: 20, elevation: 0.35, tint: { r: 1, g: 0.98, b: 0.96 }, shadowOpacity: 0.75, shadowSoftness: 0.03, pool: 0.7, brightness: 0.85, saturation: 1.05 },
  overcast: { azimuth: 90, elevation: 0.95, tint: { r: 0.97, g: 1, b: 1.05 }, shadowOpacity: 0.25, shadowSoftness: 0.2, pool: 0.1, brightness: 0.98, saturation: 0.88 },
  cool: { azimuth: 60, elevation: 0.6, tint: { r: 0.92, g: 0.98, b: 1.08 }, shadowOpacity: 0.45, shadowSoftness: 0.08, pool: 0.3, brightness: 1, saturation: 0.95 },
  evening: { azimuth: 160, elevation: 0.3, tint: { r: 1.1, g: 0.92, b: 0.78 }, shadowOpacity: 0.6, shadowSoftness: 0.07, pool: 0.55, brightness: 0.82, saturation: 1.05 },
};

export function lightingFor(name: string): Lighting {
  return lightings[name] ?? lightings[name.toLowerCase().replace(/[\s-]+/g, '_')] ?? lightings.natural_daylight!;
}

export interface Camera {
  /** Where the floor meets the wall, as a fraction of the height (0 for a top-down view: all floor). */
  horizon: number;
  /** The product's height as a fraction of the canvas height. */
  productHeight: number;
  /** Where the product stands (its base), as a fraction of the height. */
  base: number;
  /** Vertical squash of the cast shadow and reflection (how much floor the camera sees). */
  floorSquash: number;
  reflection: boolean;
}

export const cameras: Record<string, Camera> = {
  eye_level: { horizon: 0.62, productHeight: 0.58, base: 0.8, floorSquash: 0.22, reflection: true },
  high_angle: { horizon: 0.38, productHeight: 0.5, base: 0.78, floorSquash: 0.45, reflection: true },
  low_angle: { horizon: 0.78, productHeight: 0.66, base: 0.86, floorSquash: 0.1, reflection: true },
  three_quarter: { horizon: 0.55, productHeight: 0.56, base: 0.8, floorSquash: 0.3, reflection: true },
  top_down: { horizon: 0, productHeight: 0.62, base: 0.81, floorSquash: 1, reflection: false },
};

export function cameraFor(name: string): Camera {
  const key = name.toLowerCase().replace(/[\s-]+/g, '_');
  return cameras[key] ?? (key === 'flat_lay' || key === 'overhead' ? cameras.top_down! : cameras.eye_level!);
}
