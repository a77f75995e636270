/**
 * What the `local` provider's `subject_training` hands back instead of a trained model (decision
 * 030): for each photo the face it found, its 68 landmarks, its 128-d descriptor and a quality
 * score, and the photo chosen as the best reference. It crosses the seam between the engine and
 * the catalog as `artifacts.local_subject`; the catalog checks it with this schema before it marks
 * a subject `ready`, and hands it back to the engine as the subject's `context.localSubject`.
 */
import { z } from 'zod';

export const LOCAL_SUBJECT_ARTIFACT = 'local_subject';

const point = z.tuple([z.number(), z.number()]);

export const ZPreparedPhoto = z.object({
  asset_id: z.uuid(),
  /** The photo's size as displayed (EXIF orientation applied); every coordinate below is in it. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  box: z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() }),
  /** iBUG 300-W order: jaw 0–16, brows 17–26, nose 27–35, right eye 36–41, left eye 42–47, mouth 48–67. */
  landmarks: z.array(point).length(68),
  descriptor: z.array(z.number()).length(128),
  /** 0–1: sharpness, exposure, face size, detector confidence and frontality together. */
  quality: z.number().min(0).max(1),
  sharpness: z.number(),
  brightness: z.number(),
});
export type PreparedPhoto = z.infer<typeof ZPreparedPhoto>;

export const ZLocalSubject = z.object({
  /** The face model that produced the descriptors: descriptors of different models do not compare. */
  model: z.string().min(1),
  photos: z.array(ZPreparedPhoto).min(1).max(5),
  best_reference_asset_id: z.uuid(),
  /** The largest descriptor distance between two of the photos (0 for one photo). */
  max_distance: z.number().min(0),
});
export type LocalSubject = z.infer<typeof ZLocalSubject>;

/** The local preparation in a run's artifacts, when it is there and well formed. */
export function localSubjectOf(artifacts: Record<string, unknown> | undefined): LocalSubject | undefined {
  const parsed = ZLocalSubject.safeParse(artifacts?.[LOCAL_SUBJECT_ARTIFACT]);
  return parsed.success ? parsed.data : undefined;
}
