/**
 * Headshot framing from landmarks: pure geometry on made-up faces.
 * Real: portrait-frame.ts's arithmetic. Stand-ins: none (landmarks are written here: two eye rings
 * and points around them).
 */
import { describe, expect, it } from 'vitest';
import { frameFor, keepFigure, turned, type FaceGeometry, type Point } from './portrait-frame.ts';

/** 68 points with the eyes (36–41 and 42–47) as small rings at the given centres; the rest at the nose. */
function faceWith(eyeR: Point, eyeL: Point, width = 2000, height = 2000): FaceGeometry {
  const ring = (c: Point): Point[] => Array.from({ length: 6 }, (_, k) => [c[0] + 8 * Math.cos((k * Math.PI) / 3), c[1] + 5 * Math.sin((k * Math.PI) / 3)] as Point);
  const nose: Point = [(eyeR[0] + eyeL[0]) / 2, (eyeR[1] + eyeL[1]) / 2 + 60];
  const landmarks: Point[] = [...Array.from({ length: 36 }, () => nose), ...ring(eyeR), ...ring(eyeL), ...Array.from({ length: 20 }, () => nose)];
  return { width, height, box: { x: eyeR[0] - 60, y: eyeR[1] - 60, width: 220, height: 220 }, landmarks };
}

describe('turned', () => {
  it('keeps the centre at the centre and grows the canvas as sharp does', () => {
    const r = turned([500, 300], 1000, 600, 90);
    expect(r.width).toBeCloseTo(600);
    expect(r.height).toBeCloseTo(1000);
    expect(r.point[0]).toBeCloseTo(300);
    expect(r.point[1]).toBeCloseTo(500);
    // A clockwise quarter turn takes the top-left corner to the top-right.
    const corner = turned([0, 0], 1000, 600, 90).point;
    expect(corner[0]).toBeCloseTo(600);
    expect(corner[1]).toBeCloseTo(0);
  });
});

describe('frameFor', () => {
  it('frames a level face head-and-shoulders with the eyes two fifths down, at the asked aspect', () => {
    const f = frameFor(faceWith([950, 800], [1050, 800]), { aspect: 1, zoom: 3.5, shift: 0 });
    expect(f.rotate).toBe(0);
    expect(f.width).toBe(f.height);
    expect(f.height).toBe(Math.round(220 * 3.5));
    expect(f.eyes[0]).toBeCloseTo(0.5, 2);
    expect(f.eyes[1]).toBeCloseTo(0.4, 2);
    const tall = frameFor(faceWith([950, 800], [1050, 800]), { aspect: 9 / 16, zoom: 3.5, shift: 0 });
    expect(tall.width / tall.height).toBeCloseTo(9 / 16, 2);
    expect(tall.eyes[1]).toBeCloseTo(0.34, 2);
    const wide = frameFor(faceWith([950, 800], [1050, 800]), { aspect: 16 / 9, zoom: 3.5, shift: 0.15 });
    expect(wide.width / wide.height).toBeCloseTo(16 / 9, 2);
    expect(wide.eyes[0]).toBeCloseTo(0.65, 2);
  });

  it('levels tilted eyes: a face whose left eye sits lower is turned back', () => {
    // The person's left eye (image right) 20 px lower over 100 px: tilted clockwise by atan(0.2).
    const f = frameFor(faceWith([950, 800], [1050, 820]), { aspect: 1, zoom: 3.5, shift: 0 });
    expect(f.rotate).toBeCloseTo((-Math.atan(0.2) * 180) / Math.PI, 5);
  });

  it('never reaches past the bottom of the photo, and at most a fifth past its top and sides', () => {
    // A face near the bottom-right of a small photo.
    const face = faceWith([420, 330], [500, 330], 600, 450);
    const f = frameFor(face, { aspect: 1, zoom: 4, shift: 0 });
    expect(f.top + f.height).toBeLessThanOrEqual(450);
    expect(f.top).toBeGreaterThanOrEqual(-0.2 * f.height - 1);
    expect(f.left + f.width).toBeLessThanOrEqual(600 + 0.2 * f.width + 1);
    expect(f.height).toBeGreaterThanOrEqual(2 * 220);
  });
});

describe('keepFigure', () => {
  it('clears opaque regions not connected to the face and keeps the figure with a margin', () => {
    const W = 40;
    const H = 20;
    const alpha = new Uint8Array(W * H);
    for (let y = 2; y < 18; y++) for (let x = 2; x < 12; x++) alpha[y * W + x] = 255; // the subject
    for (let y = 2; y < 18; y++) for (let x = 25; x < 35; x++) alpha[y * W + x] = 255; // someone beside
    alpha[10 * W + 13] = 40; // a soft hair edge next to the subject
    keepFigure(alpha, W, H, [7 / W, 6 / H], 2);
    expect(alpha[6 * W + 7]).toBe(255);
    expect(alpha[10 * W + 13]).toBe(40);
    expect(alpha[6 * W + 30]).toBe(0);
  });
});
