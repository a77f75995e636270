/**
 * The seam between what the presets publish (GET /styles, GET /templates) and what the built-in
 * `local` provider renders from it: every style, background, headshot style, scene and template
 * layout a preset writes is one the local provider knows — not a name it refuses after the credits
 * are held, nor one it quietly renders some other way.
 * Real: the presets' catalogues and the local provider's own lookups. Stand-ins: none.
 */
import { describe, expect, it } from 'vitest';
import { adTemplateLayout } from '../../src/modules/generation/providers/local/ad-template-layout.ts';
import { backdropNames } from '../../src/modules/generation/providers/local/headshot.ts';
import { gradeOf } from '../../src/modules/generation/providers/local/headshot-portrait.ts';
import { knownScene } from '../../src/modules/generation/providers/local/look.ts';
import { knownStyle } from '../../src/modules/generation/providers/local/styles.ts';
import { catalogueOf } from '../../src/presets/catalogue/index.ts';

const all = catalogueOf('all');
const keys = (studio: string, kind: string) => all.styles.filter((s) => s.studio === studio && s.kind === kind).map((s) => s.key);

describe('what the presets publish, the local provider renders', () => {
  it('every style-studio style is a local look', () => {
    expect(keys('style-studio', 'style').filter((k) => !knownStyle(k))).toEqual([]);
  });

  it('every headshot background is a local backdrop, every headshot style a local grade', () => {
    expect(keys('headshots', 'background').filter((k) => !backdropNames().includes(k))).toEqual([]);
    expect(keys('headshots', 'style').filter((k) => !gradeOf(k))).toEqual([]);
  });

  it('every product-shots scene has a tuned local scene', () => {
    expect(keys('product-shots', 'scene').filter((k) => !knownScene(k))).toEqual([]);
  });

  it('every ad template layout is read whole by the local renderer: boxes, colours and fonts', () => {
    for (const t of all.templates) {
      const layout = adTemplateLayout(t.layout);
      expect(layout, t.name).not.toBeNull();
      expect(layout, t.name).toMatchObject({
        body: expect.any(Object),
        cta: expect.any(Object),
        logo: expect.any(Object),
        colors: { background: expect.any(String), text: expect.any(String), accent: expect.any(String) },
        fonts: { headline: expect.any(String), body: expect.any(String) },
      });
    }
  });
});
