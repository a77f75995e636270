/**
 * Seed 002, the AI headshot app: credit packs Starter, Pro and Premium (gift cards buy the same
 * packs), a subject's preparation costs five credits (models.trainingCreditsUsed) and each headshot
 * one; backgrounds and styles to pick per batch.
 */
import { plan, type Catalogue } from './types.ts';

export const headshotsCatalogue: Catalogue = {
  packages: [
    { name: 'Starter', description: 'A subject and 20 headshots', credits: 25, amountMinor: 900, currency: 'USD', sortOrder: 1 },
    { name: 'Pro', description: 'A subject and 60 headshots', credits: 65, amountMinor: 1900, currency: 'USD', isFeatured: true, sortOrder: 2 },
    { name: 'Premium', description: 'Two subjects and 150 headshots', credits: 160, amountMinor: 2900, currency: 'USD', sortOrder: 3 },
  ],
  plans: [
    plan({
      name: 'free',
      displayName: 'Free',
      description: 'Buy a credit pack to prepare a subject and make headshots',
      amountMinor: 0,
      currency: 'USD',
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: 30,
      features: ['credit packs and gift cards', 'training photos kept 30 days'],
      sortOrder: 1,
    }),
  ],
  styles: [
    { key: 'studio_grey', name: 'Studio grey', kind: 'background', studio: 'headshots', prompt: 'a plain mid-grey studio backdrop', sortOrder: 1 },
    { key: 'office', name: 'Office', kind: 'background', studio: 'headshots', prompt: 'a softly blurred modern office', sortOrder: 2 },
    { key: 'outdoor', name: 'Outdoor', kind: 'background', studio: 'headshots', prompt: 'a natural outdoor background with soft daylight', sortOrder: 3 },
    { key: 'bookshelf', name: 'Bookshelf', kind: 'background', studio: 'headshots', prompt: 'a warm bookshelf behind the subject', sortOrder: 4 },
    { key: 'gradient', name: 'Gradient', kind: 'background', studio: 'headshots', prompt: 'a smooth two-tone gradient backdrop', sortOrder: 5 },
    { key: 'corporate', name: 'Corporate', kind: 'style', studio: 'headshots', prompt: 'a crisp corporate headshot, even light, neutral grade', sortOrder: 1 },
    { key: 'casual', name: 'Casual', kind: 'style', studio: 'headshots', prompt: 'a relaxed, warm natural-light portrait', sortOrder: 2 },
    { key: 'creative', name: 'Creative', kind: 'style', studio: 'headshots', prompt: 'a bold editorial portrait with contrast and colour', sortOrder: 3 },
  ],
  categories: [],
  templates: [],
  prices: [
    { type: 'subject_training', creditsPerOutput: 5 },
    { type: 'headshot', creditsPerOutput: 1 },
  ],
};
