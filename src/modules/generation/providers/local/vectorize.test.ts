// Real potrace (@gatsbyjs/potrace) and sharp on images drawn in the test; nothing is a stand-in.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider.ts';
import { shapesJpeg as shapes } from './testing/synthetic.ts';
import { assertSafeSvg, vectorize } from './vectorize.ts';


async function pixelAt(svg: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

const near = (actual: number[], expected: number[], tolerance = 40): void => {
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(tolerance));
};

describe('vectorize', () => {
  it('traces dark shapes into one black path in monochrome', async () => {
    const out = await vectorize(await shapes(), { mode: 'monochrome', threshold: 160 });
    expect(out.svg.startsWith('<svg')).toBe(true);
    expect(out.svg.match(/<path /g)).toHaveLength(1);
    expect([out.width, out.height]).toEqual([300, 200]);
    near(await pixelAt(out.svg, 80, 100), [0, 0, 0]);
    near(await pixelAt(out.svg, 220, 100), [0, 0, 0]);
    near(await pixelAt(out.svg, 150, 20), [255, 255, 255]);
  });

  it('posterises into n colours, one path a colour over the commonest as backdrop', async () => {
    const out = await vectorize(await shapes(), { mode: 'color', colors: 3 });
    expect(out.svg.match(/<path /g)).toHaveLength(2);
    expect(out.svg.match(/<rect /g)).toHaveLength(1);
    near(await pixelAt(out.svg, 80, 100), [208, 32, 32]);
    near(await pixelAt(out.svg, 220, 100), [32, 64, 192]);
    near(await pixelAt(out.svg, 150, 20), [255, 255, 255]);
    expect(out.svg).not.toMatch(/<script|href|url\(|on[a-z]+=/i);
  });

  it('keeps the SVG at the input size even when tracing at a reduced size', async () => {
    const big = await sharp(await shapes()).resize(3000, 2000).png().toBuffer();
    const out = await vectorize(big, { mode: 'monochrome' });
    expect(out.svg).toMatch(/width="3000" height="2000" viewBox="0 0 3000 2000"/);
    near(await pixelAt(out.svg, 800, 1000), [0, 0, 0]);
  });

  it('rejects bad parameters and unreadable input with invalid_input', async () => {
    await expect(vectorize(await shapes(), { mode: 'color', colors: 40 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(vectorize(Buffer.from('nope'), { mode: 'monochrome' })).rejects.toBeInstanceOf(ProviderError);
  });

  it('assertSafeSvg refuses scripts, foreign elements, event handlers and references', () => {
    expect(() => assertSafeSvg('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>')).not.toThrow();
    for (const bad of [
      '<svg><script>alert(1)</script></svg>',
      '<svg><path d="M0 0" onload="x()"/></svg>',
      '<svg><image href="http://example.com/a.png"/></svg>',
      '<svg><path d="M0 0" fill="url(http://example.com/#g)"/></svg>',
      '<svg><foreignObject/></svg>',
    ]) {
      expect(() => assertSafeSvg(bad)).toThrow(ProviderError);
    }
  });
});
