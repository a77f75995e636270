/**
 * The five products Atelier runs, one per installation (`ATELIER_PRESET`, API.md "Presets"), and
 * `all`, every studio at once (the default). This file holds what the process itself needs to know
 * of its product before it has a database: which studios it offers, how people sign up, its
 * currency and locales, its sign-up bonus and its free quota. What a preset writes into the
 * database (plans, packages, styles, templates…) is in `catalogue/`, applied by `apply.ts`.
 * Each preset follows one of the five seed documents (docs/seeds.md).
 */
import { studios, type Studio } from '../modules/generation/providers/ids.ts';
import type { PaymentProvider } from '../modules/billing/payments.tables.ts';

export const presetNames = ['product-shots', 'print-prep', 'headshots', 'style-studio', 'ad-creatives', 'all'] as const;
export type PresetName = (typeof presetNames)[number];

/**
 * Seed 003's free conversions: a quota of generations of one type that cost no credits, counted per
 * plan period (a calendar month on a plan without a period); `limit` comes from the plan's
 * `conversion_limit`, so an admin changes it where the buyer reads it.
 */
export interface FreeQuota {
  type: 'style_conversion';
}

export interface Preset {
  name: PresetName;
  /** The seed document the preset follows, e.g. `003`. */
  seed: string;
  productName: string;
  studios: readonly Studio[];
  /** How people sign up: email + password (codes by email) and/or phone + SMS code. */
  signUp: { email: boolean; phone: boolean };
  currency: 'USD' | 'IRR';
  locales: readonly string[];
  defaultLocale: string;
  /** The payment providers this product sells through, when they are configured. */
  paymentProviders: readonly PaymentProvider[];
  /** Credits granted at sign-up unless ATELIER_SIGNUP_CREDITS says otherwise. */
  signupCredits: number;
  freeQuota: FreeQuota | null;
}

export const presets: Readonly<Record<PresetName, Preset>> = {
  'product-shots': {
    name: 'product-shots',
    seed: '000',
    productName: 'Atelier Product Shots',
    studios: ['product-shots'],
    signUp: { email: true, phone: false },
    currency: 'USD',
    locales: ['en'],
    defaultLocale: 'en',
    paymentProviders: ['stripe', 'manual'],
    signupCredits: 3,
    freeQuota: null,
  },
  'print-prep': {
    name: 'print-prep',
    seed: '001',
    productName: 'Atelier Print Prep',
    studios: ['print-prep'],
    signUp: { email: true, phone: false },
    currency: 'USD',
    locales: ['en'],
    defaultLocale: 'en',
    paymentProviders: ['stripe', 'manual'],
    // Seed 001: profiles.credits_remaining DEFAULT 2.
    signupCredits: 2,
    freeQuota: null,
  },
  headshots: {
    name: 'headshots',
    seed: '002',
    productName: 'Atelier Headshots',
    studios: ['headshots'],
    signUp: { email: true, phone: false },
    currency: 'USD',
    locales: ['en'],
    defaultLocale: 'en',
    paymentProviders: ['stripe', 'manual'],
    // A subject's preparation costs more than a bonus could cover: people buy a pack first.
    signupCredits: 0,
    freeQuota: null,
  },
  'style-studio': {
    name: 'style-studio',
    seed: '003',
    productName: 'Atelier Style Studio',
    studios: ['style-studio'],
    // Seed 003: users and vendors sign up with a phone number, verified by an SMS code.
    signUp: { email: false, phone: true },
    currency: 'IRR',
    locales: ['fa', 'en'],
    defaultLocale: 'fa',
    paymentProviders: ['zarinpal', 'manual'],
    // Seed 003 gives free conversions (a quota), not credits.
    signupCredits: 0,
    freeQuota: { type: 'style_conversion' },
  },
  'ad-creatives': {
    name: 'ad-creatives',
    seed: '004',
    productName: 'Atelier Ad Creatives',
    studios: ['ad-creatives'],
    signUp: { email: true, phone: false },
    currency: 'USD',
    locales: ['en'],
    defaultLocale: 'en',
    paymentProviders: ['stripe', 'manual'],
    signupCredits: 5,
    freeQuota: null,
  },
  all: {
    name: 'all',
    seed: '000–004',
    productName: 'Atelier',
    studios,
    signUp: { email: true, phone: true },
    currency: 'USD',
    locales: ['en', 'fa'],
    defaultLocale: 'en',
    paymentProviders: ['stripe', 'zarinpal', 'manual'],
    signupCredits: 2,
    freeQuota: null,
  },
};

export function isPresetName(name: string): name is PresetName {
  return (presetNames as readonly string[]).includes(name);
}
