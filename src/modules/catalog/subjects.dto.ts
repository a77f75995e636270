import { z } from 'zod';
import { subjectGenders, subjectStatuses } from './subjects.tables.ts';

export const ZCreateSubjectBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    gender: z.enum(subjectGenders),
    image_asset_ids: z.array(z.uuid()).min(1).max(5),
  })
  .strict();
export type TCreateSubjectBody = z.infer<typeof ZCreateSubjectBody>;

export const ZSubject = z.object({
  id: z.uuid(),
  name: z.string(),
  gender: z.enum(subjectGenders),
  status: z.enum(subjectStatuses),
  preview_asset_id: z.uuid().nullable(),
  image_asset_ids: z.array(z.uuid()),
  images_count: z.number().int(),
  training_credits: z.number().int(),
  training_generation_id: z.uuid().nullable(),
  trigger_word: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type TSubject = z.infer<typeof ZSubject>;

export const ZSubjectParams = z.object({ id: z.uuid() });
