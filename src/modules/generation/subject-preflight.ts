/**
 * What `POST /subjects` can tell before anything is held (decision 030): when the provider that will
 * prepare the subject says how small a photo it can use (the local provider: the smallest face it
 * accepts), a smaller photo is refused at once, by name, instead of failing the training later.
 */
import type { ProviderChoice } from './provider-choice.ts';

/** The shorter side a subject photo needs, in pixels (0: no requirement known before the run). */
export function subjectPhotoMinSide(choice: ProviderChoice): number {
  try {
    return choice.choose('subject_training', undefined).subjectPhotoMinSide ?? 0;
  } catch {
    // No provider can train: the submit itself answers that (provider_unavailable).
    return 0;
  }
}
