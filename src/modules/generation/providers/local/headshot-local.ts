/**
 * `headshot` on the local provider from a subject it prepared (decision 031). The photo is the
 * requested reference — one of the subject's photos, whose face is already known, or another photo
 * of the same person, whose face is found and checked now — or else the subject's best reference.
 * What this provider cannot change in a person (glasses, hair colour, hair style) is refused
 * nowhere and done nowhere: it is listed in the output's metadata (`artifacts.local_headshot`).
 */
import type { LocalSubject } from '../../../catalog/index.ts';
import { ProviderError, type ProviderInput, type ProviderOutput } from '../provider.ts';
import { checkAbort } from './common.ts';
import type { FaceFinder } from './faces.ts';
import { backdropNames } from './headshot.ts';
import { composePortrait, gradeOf, grades, variantOf, type CutOut, type PortraitVariant } from './headshot-portrait.ts';
import type { THeadshotParams } from './local.params.ts';
import type { FaceGeometry } from './portrait-frame.ts';
import { descriptorDistance, faceLimits, refusalOf } from './subject-prep.ts';

/** Backdrops a batch walks through when none is asked for: a studio look first, then variety. */
const defaultBackdrops = ['studio_grey', 'gradient', 'office', 'warm_beige'];

export interface IgnoredParam {
  param: 'glasses' | 'hair_color' | 'hair_style' | 'styles';
  value: string;
  reason: string;
}

export interface LocalHeadshotArtifacts {
  reference_asset_id: string;
  ignored_params: IgnoredParam[];
  variants: (PortraitVariant & { background: string })[];
}

/** The asked-for changes the local provider does not make, each with the reason. */
export function ignoredParams(p: THeadshotParams): IgnoredParam[] {
  const out: IgnoredParam[] = [];
  const keeps = 'the local provider re-frames and re-lights the person in the photo; it does not change how they look (an external provider can)';
  if (p.glasses === 'yes') out.push({ param: 'glasses', value: p.glasses, reason: `glasses are not added: ${keeps}` });
  if (p.hair_color && p.hair_color !== 'default') out.push({ param: 'hair_color', value: p.hair_color, reason: `hair colour is kept: ${keeps}` });
  if (p.hair_style && p.hair_style !== 'no-preference') out.push({ param: 'hair_style', value: p.hair_style, reason: `hair style is kept: ${keeps}` });
  return out;
}

interface Deps {
  faces: FaceFinder;
  cutOut: CutOut;
  random: (i: number) => () => number;
  signal: AbortSignal;
}

async function referenceOf(input: ProviderInput, p: THeadshotParams, subject: LocalSubject, faces: FaceFinder, signal: AbortSignal): Promise<{ assetId: string; bytes: Buffer; face: FaceGeometry }> {
  const source = input.images.find((i) => i.role === 'source');
  const wanted = p.reference_asset_id ?? source?.assetId ?? subject.best_reference_asset_id;
  const image = input.images.find((i) => i.assetId === wanted);
  if (!image) throw new ProviderError('invalid_input', `the reference photo ${wanted} is not among this generation's images`);
  const known = subject.photos.find((ph) => ph.asset_id === wanted);
  if (known) return { assetId: wanted, bytes: image.bytes, face: { width: known.width, height: known.height, box: known.box, landmarks: known.landmarks } };
  // A reference that is not one of the subject's photos must show the same person, alone.
  const found = await faces.find(image.bytes, signal);
  const why = refusalOf(found);
  if (why) throw new ProviderError('invalid_input', `the reference photo ${wanted} cannot make a headshot: ${why}`);
  const face = found.faces[0]!;
  const distance = Math.min(...subject.photos.map((ph) => descriptorDistance(ph.descriptor, face.descriptor)));
  if (distance > faceLimits.maxSamePersonDistance) throw new ProviderError('invalid_input', `the reference photo ${wanted} shows a different person from the subject`);
  return { assetId: wanted, bytes: image.bytes, face: { width: found.width, height: found.height, box: face.box, landmarks: face.landmarks } };
}

export async function localHeadshots(input: ProviderInput, p: THeadshotParams, subject: LocalSubject, deps: Deps): Promise<{ outputs: ProviderOutput[]; artifacts: { local_headshot: LocalHeadshotArtifacts } }> {
  const ref = await referenceOf(input, p, subject, deps.faces, deps.signal);
  const ignored = ignoredParams(p);
  // Styles name a backdrop or a grade here; anything else is reported, not guessed at.
  const known = new Set(backdropNames());
  const styleBackdrops = (p.styles ?? []).filter((s) => known.has(s));
  const styleGrades = (p.styles ?? []).flatMap((s) => gradeOf(s) ?? []);
  for (const s of p.styles ?? []) {
    if (!known.has(s) && !gradeOf(s)) ignored.push({ param: 'styles', value: s, reason: `the local provider has no style ${s}: its backdrops are ${backdropNames().join(', ')} and its grades ${Object.keys(grades).join(', ')}` });
  }
  const backdrops = p.backgrounds?.length ? p.backgrounds : p.background ? [p.background] : styleBackdrops.length ? styleBackdrops : defaultBackdrops;
  const outputs: ProviderOutput[] = [];
  const variants: LocalHeadshotArtifacts['variants'] = [];
  for (let i = 0; i < input.numOutputs; i++) {
    checkAbort(deps.signal);
    const random = deps.random(i);
    const params = { aspectRatio: p.aspect_ratio, background: backdrops[i % backdrops.length]!, grade: styleGrades[i % Math.max(1, styleGrades.length)] };
    const variant = variantOf(i, params, random);
    const r = await composePortrait(ref.bytes, ref.face, params, variant, deps.cutOut, random);
    outputs.push({ bytes: r.jpeg, mimeType: 'image/jpeg' });
    variants.push({ ...variant, zoom: Math.round(variant.zoom * 100) / 100, background: params.background });
  }
  return { outputs, artifacts: { local_headshot: { reference_asset_id: ref.assetId, ignored_params: ignored, variants } } };
}
