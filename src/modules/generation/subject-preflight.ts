/**
 * What `POST /subjects` can tell before anything is held (decision 030): when the training will run
 * on the local provider, a photo whose shorter side is under the smallest face it accepts cannot
 * hold a usable face, so it is refused at once, by name, instead of failing the training later.
 */
import type { ProviderChoice } from './provider-choice.ts';
import { faceLimits } from './providers/local/subject-prep.ts';

/** The shorter side a subject photo needs, in pixels (0: no requirement known before the run). */
export function subjectPhotoMinSide(choice: ProviderChoice): number {
  try {
    return choice.choose('subject_training', undefined).id === 'local' ? faceLimits.minFacePx : 0;
  } catch {
    // No provider can train: the submit itself answers that (provider_unavailable).
    return 0;
  }
}
