/**
 * Seed 004, the ad-creative generator: subscription plans with credits per cycle where the free
 * plan's results carry a watermark and paid plans' do not (SubscriptionPlan.has_watermark), credit
 * packs, and a starter library of templates in categories (AdTemplate, Category, AdCategory). The
 * retention follows the seed's policy: free uploads and results 30 days; paid uploads a year,
 * results until deleted.
 *
 * A layout places the product (`image_box`), `headline`, `body`, call to action (`cta`) and `logo`
 * as fractions of the canvas, with the template's colours and fonts; the renderers read it.
 */
import { plan, type CategorySeed, type Catalogue, type TemplateSeed } from './types.ts';

type Box = { x: number; y: number; w: number; h: number };
interface Arrangement {
  image_box: Box;
  headline: Box;
  body: Box;
  cta: Box;
  logo: Box;
  align: 'left' | 'center';
}
const box = (x: number, y: number, w: number, h: number): Box => ({ x, y, w, h });

/** Four arrangements, each shared by templates of one shape. */
const arrangements = {
  squareHero: { image_box: box(0.1, 0.22, 0.8, 0.48), headline: box(0.08, 0.05, 0.84, 0.13), body: box(0.08, 0.72, 0.84, 0.09), cta: box(0.3, 0.84, 0.4, 0.09), logo: box(0.82, 0.02, 0.14, 0.06), align: 'center' },
  squareSplit: { image_box: box(0.5, 0.08, 0.46, 0.84), headline: box(0.05, 0.12, 0.42, 0.3), body: box(0.05, 0.45, 0.42, 0.22), cta: box(0.05, 0.74, 0.3, 0.1), logo: box(0.05, 0.02, 0.16, 0.07), align: 'left' },
  story: { image_box: box(0.1, 0.26, 0.8, 0.44), headline: box(0.1, 0.08, 0.8, 0.12), body: box(0.1, 0.73, 0.8, 0.08), cta: box(0.25, 0.85, 0.5, 0.06), logo: box(0.4, 0.02, 0.2, 0.04), align: 'center' },
  leaderboard: { image_box: box(0.02, 0.05, 0.2, 0.9), headline: box(0.25, 0.1, 0.5, 0.45), body: box(0.25, 0.55, 0.5, 0.35), cta: box(0.78, 0.25, 0.2, 0.5), logo: box(0.92, 0.05, 0.07, 0.3), align: 'left' },
  rectangle: { image_box: box(0.05, 0.3, 0.5, 0.62), headline: box(0.05, 0.05, 0.9, 0.22), body: box(0.58, 0.35, 0.38, 0.3), cta: box(0.58, 0.72, 0.36, 0.14), logo: box(0.84, 0.86, 0.13, 0.1), align: 'left' },
} satisfies Record<string, Arrangement>;

const sizes = {
  squareHero: [1080, 1080],
  squareSplit: [1080, 1080],
  story: [1080, 1920],
  leaderboard: [728, 90],
  rectangle: [300, 250],
} as const satisfies Record<keyof typeof arrangements, readonly [number, number]>;

interface TemplateIdea {
  name: string;
  description: string;
  arrangement: keyof typeof arrangements;
  colors: { background: string; text: string; accent: string };
  font: 'DejaVu Sans' | 'DejaVu Serif';
  industry: string;
  style: string;
  campaignType: string;
  categories: string[];
  isFeatured?: boolean;
  /** Reference performance shown in the template browser (AdMetric). */
  metrics: { ctr: number; conversionRate: number; impressions: number };
}

const ideas: TemplateIdea[] = [
  { name: 'Bold sale square', description: 'Big headline over the product, call to action below', arrangement: 'squareHero', colors: { background: '#111111', text: '#ffffff', accent: '#ff3b30' }, font: 'DejaVu Sans', industry: 'retail', style: 'bold', campaignType: 'sale', categories: ['social-feed', 'sales-offers'], isFeatured: true, metrics: { ctr: 0.021, conversionRate: 0.034, impressions: 120000 } },
  { name: 'Minimal story', description: 'Product centred with a quiet line of copy', arrangement: 'story', colors: { background: '#f5f1ea', text: '#222222', accent: '#8a6d3b' }, font: 'DejaVu Serif', industry: 'fashion', style: 'minimal', campaignType: 'awareness', categories: ['stories', 'brand-awareness'], metrics: { ctr: 0.012, conversionRate: 0.018, impressions: 95000 } },
  { name: 'Leaderboard launch', description: 'Wide banner: product left, copy right', arrangement: 'leaderboard', colors: { background: '#0b3d91', text: '#ffffff', accent: '#ffd60a' }, font: 'DejaVu Sans', industry: 'technology', style: 'clean', campaignType: 'launch', categories: ['display-banners', 'product-launch'], metrics: { ctr: 0.004, conversionRate: 0.009, impressions: 410000 } },
  { name: 'Split feature square', description: 'Copy on the left, the product large on the right', arrangement: 'squareSplit', colors: { background: '#ffffff', text: '#1d1d1f', accent: '#0071e3' }, font: 'DejaVu Sans', industry: 'technology', style: 'clean', campaignType: 'launch', categories: ['social-feed', 'product-launch'], isFeatured: true, metrics: { ctr: 0.017, conversionRate: 0.027, impressions: 88000 } },
  { name: 'Flash sale story', description: 'Full-screen countdown energy for limited offers', arrangement: 'story', colors: { background: '#ff2d55', text: '#ffffff', accent: '#111111' }, font: 'DejaVu Sans', industry: 'retail', style: 'bold', campaignType: 'sale', categories: ['stories', 'sales-offers'], metrics: { ctr: 0.026, conversionRate: 0.041, impressions: 150000 } },
  { name: 'Holiday gift square', description: 'Warm festive colours around the product', arrangement: 'squareHero', colors: { background: '#14532d', text: '#fef3c7', accent: '#dc2626' }, font: 'DejaVu Serif', industry: 'retail', style: 'festive', campaignType: 'seasonal', categories: ['social-feed', 'seasonal'], metrics: { ctr: 0.019, conversionRate: 0.031, impressions: 67000 } },
  { name: 'Summer story', description: 'Bright summer palette, product in the sun', arrangement: 'story', colors: { background: '#fde68a', text: '#7c2d12', accent: '#0ea5e9' }, font: 'DejaVu Sans', industry: 'lifestyle', style: 'playful', campaignType: 'seasonal', categories: ['stories', 'seasonal'], metrics: { ctr: 0.015, conversionRate: 0.022, impressions: 54000 } },
  { name: 'Fresh menu square', description: 'Appetising warm tones for food and drink', arrangement: 'squareHero', colors: { background: '#7c2d12', text: '#fff7ed', accent: '#f59e0b' }, font: 'DejaVu Serif', industry: 'food', style: 'warm', campaignType: 'awareness', categories: ['social-feed', 'food-drink'], metrics: { ctr: 0.018, conversionRate: 0.025, impressions: 72000 } },
  { name: 'Cafe leaderboard', description: 'A slim banner for a cafe or restaurant offer', arrangement: 'leaderboard', colors: { background: '#3f2a1d', text: '#fdf6ec', accent: '#e9a23b' }, font: 'DejaVu Serif', industry: 'food', style: 'warm', campaignType: 'sale', categories: ['display-banners', 'food-drink'], metrics: { ctr: 0.005, conversionRate: 0.011, impressions: 230000 } },
  { name: 'Medium rectangle offer', description: 'The classic 300×250 with price and button', arrangement: 'rectangle', colors: { background: '#f8fafc', text: '#0f172a', accent: '#16a34a' }, font: 'DejaVu Sans', industry: 'retail', style: 'clean', campaignType: 'sale', categories: ['display-banners', 'sales-offers'], metrics: { ctr: 0.007, conversionRate: 0.013, impressions: 310000 } },
  { name: 'Brand statement square', description: 'A calm statement of what the brand stands for', arrangement: 'squareSplit', colors: { background: '#1e293b', text: '#f1f5f9', accent: '#38bdf8' }, font: 'DejaVu Serif', industry: 'services', style: 'minimal', campaignType: 'awareness', categories: ['social-feed', 'brand-awareness'], metrics: { ctr: 0.011, conversionRate: 0.015, impressions: 99000 } },
  { name: 'New arrival story', description: 'Announce a new product full screen', arrangement: 'story', colors: { background: '#0f172a', text: '#ffffff', accent: '#a855f7' }, font: 'DejaVu Sans', industry: 'fashion', style: 'bold', campaignType: 'launch', categories: ['stories', 'product-launch'], isFeatured: true, metrics: { ctr: 0.022, conversionRate: 0.029, impressions: 112000 } },
  { name: 'Back to school rectangle', description: 'Seasonal banner with a playful accent', arrangement: 'rectangle', colors: { background: '#fef9c3', text: '#1e3a8a', accent: '#ef4444' }, font: 'DejaVu Sans', industry: 'education', style: 'playful', campaignType: 'seasonal', categories: ['display-banners', 'seasonal'], metrics: { ctr: 0.006, conversionRate: 0.01, impressions: 180000 } },
  { name: 'Healthy drink square', description: 'Clean greens for drinks and wellness', arrangement: 'squareSplit', colors: { background: '#ecfdf5', text: '#064e3b', accent: '#10b981' }, font: 'DejaVu Sans', industry: 'food', style: 'fresh', campaignType: 'launch', categories: ['social-feed', 'food-drink', 'product-launch'], metrics: { ctr: 0.016, conversionRate: 0.023, impressions: 61000 } },
];

export const adCategories: CategorySeed[] = [
  { slug: 'social-feed', name: 'Social feed', description: 'Square and portrait ads for feeds', sortOrder: 1 },
  { slug: 'stories', name: 'Stories', description: 'Full-screen vertical ads', sortOrder: 2 },
  { slug: 'display-banners', name: 'Display banners', description: 'Web banner sizes', sortOrder: 3 },
  { slug: 'sales-offers', name: 'Sales and offers', description: 'Discounts, flash sales and promotions', sortOrder: 4 },
  { slug: 'product-launch', name: 'Product launch', description: 'New arrivals and announcements', sortOrder: 5 },
  { slug: 'seasonal', name: 'Seasonal', description: 'Holidays and seasons', sortOrder: 6 },
  { slug: 'brand-awareness', name: 'Brand awareness', description: 'Say who you are', sortOrder: 7 },
  { slug: 'food-drink', name: 'Food and drink', description: 'Menus, cafes and drinks', sortOrder: 8 },
];

function template(idea: TemplateIdea): TemplateSeed {
  const [width, height] = sizes[idea.arrangement];
  const { align, ...boxes } = arrangements[idea.arrangement];
  return {
    name: idea.name,
    description: idea.description,
    size: `${width}x${height}`,
    width,
    height,
    format: 'png',
    industry: idea.industry,
    style: idea.style,
    campaignType: idea.campaignType,
    isFeatured: idea.isFeatured ?? false,
    layout: { ...boxes, align, colors: idea.colors, fonts: { headline: idea.font, body: idea.font } },
    categories: idea.categories,
    metrics: idea.metrics,
  };
}

export const adTemplates: TemplateSeed[] = ideas.map(template);

export const adCreativesCatalogue: Catalogue = {
  packages: [
    { name: '20 ad credits', description: 'Twenty creatives, no subscription', credits: 20, amountMinor: 500, currency: 'USD', sortOrder: 1 },
    { name: '100 ad credits', description: 'A hundred creatives for a campaign', credits: 100, amountMinor: 2000, currency: 'USD', isFeatured: true, sortOrder: 2 },
  ],
  plans: [
    plan({
      name: 'free',
      displayName: 'Free',
      description: 'Watermarked creatives; files kept 30 days',
      amountMinor: 0,
      currency: 'USD',
      hasWatermark: true,
      retentionDays: 30,
      uploadRetentionDays: 30,
      features: ['5 free credits', 'watermarked results', 'files kept 30 days'],
      sortOrder: 1,
    }),
    plan({
      name: 'pro',
      displayName: 'Pro',
      description: '100 creatives a month without watermark',
      amountMinor: 1900,
      currency: 'USD',
      creditsPerPeriod: 100,
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: 365,
      features: ['100 credits a month', 'no watermark', 'every template'],
      sortOrder: 2,
    }),
    plan({
      name: 'business',
      displayName: 'Business',
      description: '400 creatives a month for teams',
      amountMinor: 4900,
      currency: 'USD',
      creditsPerPeriod: 400,
      hasWatermark: false,
      retentionDays: null,
      uploadRetentionDays: 365,
      features: ['400 credits a month', 'no watermark', 'every template', 'priority queue'],
      sortOrder: 3,
    }),
  ],
  styles: [],
  categories: adCategories,
  templates: adTemplates,
  prices: [{ type: 'ad_creative', creditsPerOutput: 1 }],
};
