/**
 * Seed 001, the DTF print-prep editor: a free tier with two credits (profiles.credits_remaining
 * DEFAULT 2) whose images expire, `basic` and `starter` subscriptions (subscription_status) with
 * monthly credits, and pay-as-you-go packs. Upscale, background removal and vectorising cost a
 * credit each; a chained operation is a new generation, so each step is paid once.
 */
import { plan, type Catalogue } from './types.ts';

export const printPrepCatalogue: Catalogue = {
  packages: [
    { name: '10 credits', description: 'Pay as you go: ten operations', credits: 10, amountMinor: 799, currency: 'USD', sortOrder: 1, creditsValidDays: 365 },
    { name: '20 credits', description: 'Pay as you go: twenty operations', credits: 20, amountMinor: 1499, currency: 'USD', isFeatured: true, sortOrder: 2, creditsValidDays: 365 },
    { name: '50 credits', description: 'Pay as you go: fifty operations', credits: 50, amountMinor: 2999, currency: 'USD', sortOrder: 3, creditsValidDays: 365 },
  ],
  plans: [
    plan({
      name: 'free',
      displayName: 'Free',
      description: 'Two credits to try the editor; files are kept 7 days',
      amountMinor: 0,
      currency: 'USD',
      hasWatermark: false,
      retentionDays: 7,
      uploadRetentionDays: 7,
      features: ['2 free credits', 'files kept 7 days'],
      sortOrder: 1,
    }),
    plan({
      name: 'basic',
      displayName: 'Basic',
      description: '20 credits a month; files kept 90 days',
      amountMinor: 999,
      currency: 'USD',
      creditsPerPeriod: 20,
      hasWatermark: false,
      retentionDays: 90,
      uploadRetentionDays: 90,
      features: ['20 credits a month', 'files kept 90 days', 'zip downloads'],
      sortOrder: 2,
    }),
    plan({
      name: 'starter',
      displayName: 'Starter',
      description: '60 credits a month; files kept until deleted',
      amountMinor: 2499,
      currency: 'USD',
      creditsPerPeriod: 60,
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: null,
      features: ['60 credits a month', 'files kept until deleted', 'zip downloads', 'priority queue'],
      sortOrder: 3,
    }),
  ],
  styles: [],
  categories: [],
  templates: [],
  prices: [
    { type: 'upscale', creditsPerOutput: 1 },
    { type: 'background_removal', creditsPerOutput: 1 },
    { type: 'vectorize', creditsPerOutput: 1 },
    { type: 'generate', creditsPerOutput: 1 },
  ],
};
