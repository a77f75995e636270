/**
 * Seed 000, the product-photo studio: credit packs in dollars, no subscription (the seed meters
 * credits only), scenes for lifestyle and room shots, one credit an output.
 */
import { plan, type Catalogue } from './types.ts';

export const productShotsCatalogue: Catalogue = {
  packages: [
    { name: 'Starter', description: '10 credits to try every shot type', credits: 10, amountMinor: 499, currency: 'USD', sortOrder: 1 },
    { name: 'Pro', description: '50 credits for regular catalogue work', credits: 50, amountMinor: 1999, currency: 'USD', isFeatured: true, sortOrder: 2 },
    { name: 'Premium', description: '150 credits for teams and large catalogues', credits: 150, amountMinor: 4999, currency: 'USD', sortOrder: 3 },
  ],
  plans: [
    plan({
      name: 'free',
      displayName: 'Free',
      description: 'Pay as you go with credit packs',
      amountMinor: 0,
      currency: 'USD',
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: 365,
      features: ['credit packs', 'model shots, lifestyle and room scenes', 'full-resolution downloads'],
      sortOrder: 1,
    }),
  ],
  styles: [
    { key: 'white_studio', name: 'White studio', kind: 'scene', studio: 'product-shots', prompt: 'the product on a seamless white studio sweep', sortOrder: 1 },
    { key: 'marble_counter', name: 'Marble counter', kind: 'scene', studio: 'product-shots', prompt: 'the product on a marble kitchen counter in morning light', sortOrder: 2 },
    { key: 'outdoor_nature', name: 'Outdoor nature', kind: 'scene', studio: 'product-shots', prompt: 'the product outdoors among leaves and stone', sortOrder: 3 },
    { key: 'lifestyle_living_room', name: 'Living room', kind: 'scene', studio: 'product-shots', prompt: 'the product in a bright lived-in living room', sortOrder: 4 },
    { key: 'modern_bedroom', name: 'Modern bedroom', kind: 'scene', studio: 'product-shots', prompt: 'the product in a calm modern bedroom with linen and soft daylight', sortOrder: 5 },
    { key: 'concrete_loft', name: 'Concrete loft', kind: 'scene', studio: 'product-shots', prompt: 'the product in an industrial loft with raw concrete and warm light', sortOrder: 6 },
  ],
  categories: [],
  templates: [],
  prices: [
    { type: 'model_shot', creditsPerOutput: 1 },
    { type: 'lifestyle', creditsPerOutput: 1 },
    { type: 'room_scene', creditsPerOutput: 1 },
  ],
};
