/**
 * Per-photo feedback of the headshots wizard (web/src/products/headshots/feedback.ts): the reasons
 * the server gives — in a failed preparation's message (the local provider's `subject-prep.ts`
 * wording), on `image_asset_ids.<i>` of a refused `POST /subjects`, and in an upload's 415/413 —
 * land on the right photo with the right translated sentence; an unknown reason is kept as sent.
 * Real: the module, and the local face check's own refusal wording (`refusalOf`). Stand-ins: `t`
 * returns its key and options, so the test reads which sentence was chosen; refusals are Errors
 * shaped as the app's ApiError.
 */
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import type { FoundFace } from '../../src/modules/generation/providers/local/faces.ts';
import { refusalOf } from '../../src/modules/generation/providers/local/subject-prep.ts';
import { reasonText, refusalsByAsset, refusalsByIndex, uploadRefusal } from '../../web/src/products/headshots/feedback.ts';

/** A refusal shaped as the app's ApiError (status, message, field errors). */
const refused = (status: number, fieldErrors: Array<{ path: string; message: string }> = []) => Object.assign(new Error('refused'), { status, fieldErrors });
const t = ((key: string, opts?: Record<string, unknown>) => (opts ? `${key} ${JSON.stringify(opts)}` : key)) as unknown as TFunction;
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

describe('headshots per-photo feedback', () => {
  it('names each refused photo of a failed preparation by its asset id', () => {
    const message = `These photos cannot make a headshot: photo 1 (${A}): no face was found; photo 3 (${C}): it shows 2 faces; use a photo of the person alone.`;
    const refused = refusalsByAsset(message);
    expect([...refused.keys()]).toEqual([A, C]);
    expect(reasonText(refused.get(A)!, t)).toBe('headshots.reason.noFace');
    expect(reasonText(refused.get(C)!, t)).toBe('headshots.reason.severalFaces {"count":2}');
    expect(refused.has(B)).toBe(false);
  });

  it('translates every reason the local preparation gives, and keeps an unknown one as sent', () => {
    expect(reasonText('the face is 96 px, under 128 px; use a larger or closer photo', t)).toBe('headshots.reason.faceTooSmall {"px":96}');
    expect(reasonText('the face is too dark', t)).toBe('headshots.reason.tooDark');
    expect(reasonText('the face is overexposed', t)).toBe('headshots.reason.overexposed');
    expect(reasonText('the face is blurred', t)).toBe('headshots.reason.blurred');
    expect(reasonText('it shows a different person from the other photos', t)).toBe('headshots.reason.differentPerson');
    expect(reasonText('the photos show different people', t)).toBe('headshots.reason.differentPerson');
    expect(reasonText('something new', t)).toBe('something new');
  });

  it("has a sentence for each refusal the local face check words (subject-prep's refusalOf)", () => {
    const face = (o: Partial<FoundFace>) => ({ box: { x: 0, y: 0, width: 300, height: 300 }, score: 0.9, sharpness: 120, brightness: 125, clipped: 0, ...o }) as FoundFace;
    const photo = (...faces: FoundFace[]) => ({ width: 800, height: 1000, faces });
    const cases: Array<[ReturnType<typeof photo>, string]> = [
      [photo(), 'headshots.reason.noFace'],
      [photo(face({}), face({})), 'headshots.reason.severalFaces {"count":2}'],
      [photo(face({ box: { x: 0, y: 0, width: 90, height: 90 } })), 'headshots.reason.faceTooSmall {"px":90}'],
      [photo(face({ brightness: 30 })), 'headshots.reason.tooDark'],
      [photo(face({ brightness: 240 })), 'headshots.reason.overexposed'],
      [photo(face({ sharpness: 5 })), 'headshots.reason.blurred'],
    ];
    for (const [p, sentence] of cases) expect(reasonText(refusalOf(p)!, t)).toBe(sentence);
  });

  it('reads a refused POST /subjects per photo index, and an upload refusal by status', () => {
    const err = refused(400, [{ path: 'image_asset_ids.1', message: `photo 2 (${B}) is 90×120 px: a face of at least 128 px cannot fit; use a larger photo` }]);
    const byIndex = refusalsByIndex(err);
    expect([...byIndex.keys()]).toEqual([1]);
    expect(reasonText(byIndex.get(1)!, t)).toBe('headshots.reason.photoTooSmall');
    expect(refusalsByIndex(new Error('x')).size).toBe(0);
    expect(uploadRefusal(refused(415), t)).toBe('headshots.reason.notImage');
    expect(uploadRefusal(refused(413), t)).toBe('headshots.reason.tooLarge');
    expect(uploadRefusal(new Error('offline'), t)).toBe('common.genericError');
  });
});
