/**
 * Per-photo feedback from the server's refusals. Two places say a photo cannot be used: the upload
 * (415 not an image, 413 too large), the subject's creation (400 `validation_failed` with
 * `image_asset_ids.<i>`: too small for a face) and, after the face check of the training, the
 * subject's `error.message`, which names each refused photo as `photo <n> (<asset id>): <why>`.
 * Each reason is mapped to a translated sentence; an unknown one is shown as the server wrote it.
 */
import type { TFunction } from 'i18next';

/** What of the app's `ApiError` this reads (by shape, so the module is tested without a browser). */
interface Refusal {
  status: number;
  message: string;
  fieldErrors: Array<{ path: string; message: string }>;
}
function refusal(err: unknown): Refusal | null {
  const r = err as Partial<Refusal> | null;
  return err instanceof Error && typeof r?.status === 'number' && Array.isArray(r.fieldErrors) ? (r as Refusal) : null;
}

/** The sentence for one reason the server gave, in the reader's language. */
export function reasonText(why: string, t: TFunction): string {
  const several = /shows (\d+) faces/.exec(why);
  if (several) return t('headshots.reason.severalFaces', { count: Number(several[1]) });
  const small = /face is (\d+) px/.exec(why);
  if (small) return t('headshots.reason.faceTooSmall', { px: Number(small[1]) });
  if (/is \d+×\d+ px/.test(why)) return t('headshots.reason.photoTooSmall');
  if (/no face/.test(why)) return t('headshots.reason.noFace');
  if (/too dark/.test(why)) return t('headshots.reason.tooDark');
  if (/overexposed/.test(why)) return t('headshots.reason.overexposed');
  if (/blurred/.test(why)) return t('headshots.reason.blurred');
  if (/different (person|people)/.test(why)) return t('headshots.reason.differentPerson');
  return why;
}

/** A failed training's message → the reason per asset id it names. */
export function refusalsByAsset(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of message.matchAll(/photo \d+ \(([0-9a-f-]{36})\): (.+?)(?=; photo \d+ \(|\.$|$)/g)) out.set(m[1]!, m[2]!);
  return out;
}

/** A refused `POST /subjects` → the reason per photo index (`image_asset_ids.<i>`). */
export function refusalsByIndex(err: unknown): Map<number, string> {
  const out = new Map<number, string>();
  for (const fe of refusal(err)?.fieldErrors ?? []) {
    const m = /image_asset_ids\.(\d+)/.exec(fe.path);
    if (m) out.set(Number(m[1]), fe.message);
  }
  return out;
}

/** Why an upload was refused, in the reader's language. */
export function uploadRefusal(err: unknown, t: TFunction): string {
  const r = refusal(err);
  if (r?.status === 415) return t('headshots.reason.notImage');
  if (r?.status === 413) return t('headshots.reason.tooLarge');
  return r ? r.message : t('common.genericError');
}
